import type { GestureKind } from '@spiral/shared';

/** Small drawn icons: emoji fonts are not on every machine (nor in every headless browser). */
interface IconProps {
  size?: number;
  className?: string;
}

export function BellIcon({ size = 18, className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8 1.6a4.2 4.2 0 0 0-4.2 4.2v2.6L2.5 11.2h11L12.2 8.4V5.8A4.2 4.2 0 0 0 8 1.6Z" />
      <circle fill="currentColor" cx="8" cy="13" r="1.4" />
    </svg>
  );
}

export function HeartIcon({ size = 18, className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8 14.2S1.8 10.6 1.8 6.2A3.3 3.3 0 0 1 8 4.5a3.3 3.3 0 0 1 6.2 1.7c0 4.4-6.2 8-6.2 8Z" />
    </svg>
  );
}

export function EarIcon({ size = 18, className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
        <path d="M4.2 6.2a4.3 4.3 0 1 1 8.6 0c0 2.1-1.4 3.1-2.2 4.3-.7 1-.7 2-1.4 2.8a2.4 2.4 0 0 1-3.9-.6" />
        <path d="M6.9 6.4a1.7 1.7 0 1 1 3.2.8c-.4.6-1.1.9-1.1 1.7" />
      </g>
    </svg>
  );
}

/** A small flower: gratitude. */
export function ThanksIcon({ size = 18, className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <g fill="currentColor">
        {[0, 72, 144, 216, 288].map((deg) => (
          <ellipse key={deg} cx="8" cy="4.4" rx="2.3" ry="3.2" transform={`rotate(${deg} 8 8)`} opacity="0.75" />
        ))}
        <circle cx="8" cy="8" r="2.2" fill="#fff" />
        <circle cx="8" cy="8" r="1.4" />
      </g>
    </svg>
  );
}

export function GestureIcon({ kind, size, className }: IconProps & { kind: GestureKind }) {
  if (kind === 'heart') return <HeartIcon size={size} className={className} />;
  if (kind === 'hear') return <EarIcon size={size} className={className} />;
  return <ThanksIcon size={size} className={className} />;
}
