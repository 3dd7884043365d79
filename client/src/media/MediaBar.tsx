import { useEffect, useState } from 'react';
import { DevicePicker } from './DevicePicker';
import { MicButton } from './MicButton';
import type { MediaControls } from './useMedia';

function useDevices(active: boolean): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (!active || !navigator.mediaDevices?.enumerateDevices) return;
    const refresh = () => void navigator.mediaDevices.enumerateDevices().then(setDevices, () => setDevices([]));
    refresh();
    navigator.mediaDevices.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener?.('devicechange', refresh);
  }, [active]);
  return devices;
}

const STATUS_TEXT: Record<string, string> = {
  connecting: 'Connecting video…',
  reconnecting: 'Video reconnecting…',
  failed: 'Video could not connect.',
  closed: 'Video stopped.',
};

/**
 * Video on/off, the microphone, the camera and (folded away) device choices. Media trouble never
 * touches the circle. `showMic={false}` when the microphone is shown elsewhere (by the centre, for the holder).
 */
export function MediaBar({ media, waitReason, showMic = true }: { media: MediaControls; waitReason?: string; showMic?: boolean }) {
  const { phase, snapshot } = media;
  const devices = useDevices(phase.kind === 'on');
  if (phase.kind === 'off' || phase.kind === 'unavailable' || phase.kind === 'error') {
    return (
      <div className="media-bar" role="group" aria-label="Video">
        <button type="button" className="button" onClick={media.start}>
          Turn on video
        </button>
        {phase.kind !== 'off' ? (
          <p className="media-bar__message" role="status">
            {phase.message}
          </p>
        ) : null}
      </div>
    );
  }
  if (phase.kind === 'starting' || !snapshot) {
    return (
      <div className="media-bar" role="group" aria-label="Video">
        <p className="media-bar__message" role="status">
          Starting video…
        </p>
      </div>
    );
  }
  const status = STATUS_TEXT[snapshot.status];
  const ended = snapshot.status === 'closed' || snapshot.status === 'failed';
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  return (
    <div className="media-bar" role="group" aria-label="Video">
      {/* Receive-only (beyond a direct call's senders): nothing to switch; the message below says why. */}
      {showMic && !snapshot.receiveOnly ? (
        <MicButton available allowed={snapshot.micAllowed} on={snapshot.micOn} prompt={media.unmutePrompt} onChange={media.setMicOn} waitReason={waitReason} />
      ) : null}
      {/* A toggle named by what it switches, its state in aria-pressed: "Camera, pressed" is a camera that is on. */}
      {snapshot.receiveOnly ? null : (
        <button type="button" className="button" aria-pressed={snapshot.cameraOn} onClick={() => media.setCameraOn(!snapshot.cameraOn)}>
          Camera
        </button>
      )}
      <details className="media-bar__more">
        <summary className="button button--quiet" aria-label="Video settings">
          <span className="media-bar__more-label">Video settings</span>
          <span className="media-bar__more-icon" aria-hidden="true">
            ⋯
          </span>
        </summary>
        <div className="media-bar__more-body">
          {cameras.length > 1 ? (
            <DevicePicker className="media-bar__device" label="Camera" devices={cameras} value="" placeholder={{ label: 'Choose…', disabled: true }} onChange={(id) => media.switchDevice('videoinput', id)} />
          ) : null}
          {mics.length > 1 ? (
            <DevicePicker className="media-bar__device" label="Microphone" devices={mics} value="" placeholder={{ label: 'Choose…', disabled: true }} onChange={(id) => media.switchDevice('audioinput', id)} />
          ) : null}
          <label className="media-bar__toggle">
            <input type="checkbox" checked={media.autoUnmute} onChange={(e) => media.setAutoUnmute(e.target.checked)} />
            Unmute by itself when the piece reaches me
          </label>
          <button type="button" className="button" onClick={media.stop}>
            Leave video
          </button>
        </div>
      </details>
      {ended ? (
        <button type="button" className="button button--primary" onClick={media.start}>
          Restart video
        </button>
      ) : null}
      {status || snapshot.message || media.notice ? (
        <p className="media-bar__message" role="status">
          {[media.notice, snapshot.message ?? status].filter(Boolean).join(' ')}
        </p>
      ) : null}
    </div>
  );
}
