import { useEffect, useRef, type ReactNode } from 'react';

/** A calm full page for a state that stops the user: no such circle, locked, removed… */
export function MessagePage({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <main className="page page--message">
      <div className="card">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
        {actions ? <div className="card__actions">{actions}</div> : null}
      </div>
    </main>
  );
}

export function HomeLink() {
  return (
    <a className="button" href="/">
      Start a new circle
    </a>
  );
}

/** A page with the Spiral masthead above its card. */
export function BrandedPage({ className, children }: { className: string; children: ReactNode }) {
  return (
    <main className={`page ${className}`}>
      <header className="masthead">
        <p className="masthead__brand">Spiral</p>
      </header>
      {children}
    </main>
  );
}
