import './media.css';
import { useEffect, useRef, useState } from 'react';
import { DevicePicker } from './DevicePicker';
import { loadMediaPreferences, saveMediaPreferences } from './media-preferences';
import { acquireLocalMedia, describeMediaError } from './media-session';

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

/** Before joining: see yourself, check your microphone moves the meter, pick devices. Choices are remembered. */
export default function PreJoinCheck() {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [prefs, setPrefs] = useState(loadMediaPreferences);
  const videoRef = useRef<HTMLVideoElement>(null);
  const level = useMicLevel(stream);

  useEffect(() => {
    let cancelled = false;
    let acquired: MediaStream | null = null;
    acquireLocalMedia(prefs).then(
      async (s) => {
        if (cancelled) return s.getTracks().forEach((t) => t.stop());
        acquired = s;
        setStream(s);
        setError(null);
        setDevices(await navigator.mediaDevices.enumerateDevices());
      },
      async (e: unknown) => {
        if (cancelled) return;
        setError(describeMediaError(e));
        // Still offer the devices there are, so another one can be chosen.
        setDevices(await navigator.mediaDevices.enumerateDevices().catch(() => []));
      },
    );
    return () => {
      cancelled = true;
      acquired?.getTracks().forEach((t) => t.stop());
    };
  }, [prefs.audioDeviceId, prefs.videoDeviceId]);

  useEffect(() => {
    if (videoRef.current && stream) {
      videoRef.current.srcObject = stream;
      void videoRef.current.play().catch(() => undefined);
    }
  }, [stream]);

  const choose = (kind: 'audioDeviceId' | 'videoDeviceId', deviceId: string) => setPrefs(saveMediaPreferences({ [kind]: deviceId }));
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');

  return (
    <section className="prejoin" aria-label="Camera and microphone check">
      {error ? (
        <p className="prejoin__error" role="alert">
          {error}
        </p>
      ) : (
        <video ref={videoRef} className="prejoin__preview" muted playsInline autoPlay aria-label="Your camera preview" />
      )}
      <div className="prejoin__meter">
        <span id="mic-level-label">Microphone level</span>
        <meter aria-labelledby="mic-level-label" min={0} max={1} value={level} />
      </div>
      <DevicePicker label="Camera" devices={cameras} value={prefs.videoDeviceId ?? ''} placeholder={{ label: 'Default' }} onChange={(id) => choose('videoDeviceId', id)} />
      <DevicePicker label="Microphone" devices={mics} value={prefs.audioDeviceId ?? ''} placeholder={{ label: 'Default' }} onChange={(id) => choose('audioDeviceId', id)} />
    </section>
  );
}
