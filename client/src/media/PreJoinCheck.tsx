import './media.css';
import { useEffect, useRef, useState } from 'react';
import { DevicePicker } from './DevicePicker';
import { MEDIA_NOTES } from '@spiral/shared/refusals';
import { describeMediaChoices, loadMediaPreferences, type MediaPreferences, saveMediaPreferences } from './media-preferences';
import { acquireLocalMedia, describeMediaError, listDevices } from './media-session';

/** Root-mean-square level of the microphone, 0..1, sampled every animation frame. */
function useMicLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [stream]);
  return level;
}

const inline = { display: 'flex', alignItems: 'center', gap: '0.4rem' } as const;

/**
 * Before joining: see yourself, check your microphone moves the meter, pick devices, choose whether
 * the camera comes on and whether the microphone unmutes by itself when the piece arrives. Every
 * choice is remembered at once (and joining marks the check as answered).
 */
export default function PreJoinCheck({ onChange }: { onChange?: (prefs: MediaPreferences) => void } = {}) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [prefs, setPrefs] = useState(loadMediaPreferences);
  const videoRef = useRef<HTMLVideoElement>(null);
  const level = useMicLevel(stream);

  useEffect(() => {
    let cancelled = false;
    let acquired: MediaStream | null = null;
    acquireLocalMedia(prefs, { camera: prefs.cameraOn }).then(
      async (s) => {
        if (cancelled) return s.getTracks().forEach((t) => t.stop());
        acquired = s;
        setStream(s);
        setError(s.getTracks().length === 0 ? MEDIA_NOTES.noDevices : prefs.cameraOn && s.getVideoTracks().length === 0 ? MEDIA_NOTES.noCamera : null);
        setDevices(await listDevices());
      },
      async (e: unknown) => {
        if (cancelled) return;
        setError(describeMediaError(e));
        // Still offer the devices there are, so another one can be chosen.
        setDevices(await listDevices());
      },
    );
    return () => {
      cancelled = true;
      acquired?.getTracks().forEach((t) => t.stop());
    };
  }, [prefs.audioDeviceId, prefs.videoDeviceId, prefs.cameraOn]);

  useEffect(() => {
    if (videoRef.current && stream) {
      videoRef.current.srcObject = stream;
      void videoRef.current.play().catch(() => undefined);
    }
  }, [stream]);

  const choose = (change: Partial<MediaPreferences>) => {
    const next = saveMediaPreferences(change);
    setPrefs(next);
    onChange?.(next);
  };
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  const showPreview = prefs.cameraOn && !!stream && stream.getVideoTracks().length > 0;

  return (
    <section className="prejoin" aria-label="Camera and microphone check">
      {error ? (
        <p className="prejoin__error" role="status">
          {error}
        </p>
      ) : null}
      {showPreview ? <video ref={videoRef} className="prejoin__preview" muted playsInline autoPlay aria-label="Your camera preview" /> : null}
      <label style={inline}>
        <input type="checkbox" checked={prefs.cameraOn} onChange={(e) => choose({ cameraOn: e.target.checked })} />
        Camera on when I join
      </label>
      <div className="prejoin__meter">
        <span id="mic-level-label">Microphone level</span>
        <meter aria-labelledby="mic-level-label" min={0} max={1} value={level} />
      </div>
      {prefs.cameraOn ? (
        <DevicePicker label="Camera" devices={cameras} value={prefs.videoDeviceId ?? ''} placeholder={{ label: 'Default' }} onChange={(id) => choose({ videoDeviceId: id })} />
      ) : null}
      <DevicePicker label="Microphone" devices={mics} value={prefs.audioDeviceId ?? ''} placeholder={{ label: 'Default' }} onChange={(id) => choose({ audioDeviceId: id })} />
      <label style={inline}>
        <input type="checkbox" checked={prefs.autoUnmute} onChange={(e) => choose({ autoUnmute: e.target.checked })} />
        Unmute me when the piece comes to me
      </label>
      <p className="hint">{describeMediaChoices(prefs)} These choices are remembered on this device.</p>
    </section>
  );
}
