import { useEffect, useRef } from 'react';

export interface VideoTileProps {
  name: string;
  stream: MediaStream | null;
  videoOn: boolean;
  speaking: boolean;
  /** Your own picture is mirrored, as in a looking glass. */
  mirror?: boolean;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words[words.length - 1]![0]] : [words[0]?.[0], words[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

/** A member's video, or their initials when the camera is off. Always muted: audio plays elsewhere, behind the guard. */
export function VideoTile({ name, stream, videoOn, speaking, mirror = false }: VideoTileProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  }, [stream, videoOn]);
  const showVideo = Boolean(stream) && videoOn;
  return (
    <span className={`tile${speaking ? ' tile--speaking' : ''}`} data-speaking={speaking ? 'true' : 'false'}>
      <video
        ref={ref}
        className={`tile__video${mirror ? ' tile__video--mirror' : ''}`}
        muted
        autoPlay
        playsInline
        hidden={!showVideo}
        aria-hidden="true"
      />
      {showVideo ? null : (
        <span className="tile__initials" aria-hidden="true">
          {initials(name)}
        </span>
      )}
    </span>
  );
}
