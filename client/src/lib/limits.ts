/**
 * The protocol's length limits, for the first page's form fields. They mirror `LIMITS` in
 * `@spiral/shared` (a unit test checks they agree); importing that module here would bring zod into the
 * home page's JavaScript, because it sits beside the state schema.
 */
export const TITLE_MAX = 120;
export const NAME_MAX = 60;
