/**
 * Gentle cues synthesised with the Web Audio API: no audio files to fetch. A bowl-like chime for the end
 * of the shared timer, and a single soft tone when the speaker's time is up. Neither interrupts anyone.
 */
export interface Cues {
  chime(): void;
  softCue(): void;
  /** Two soft rising notes: the talking piece has reached you. */
  pieceArrived(): void;
  /** Browsers start audio only after a user gesture; call this from one (any click or key press). */
  unlock(): void;
}

type AudioContextCtor = new () => AudioContext;

function audioContextCtor(): AudioContextCtor | null {
  if (typeof window === 'undefined') return null;
  const w = window as Window & { webkitAudioContext?: AudioContextCtor };
  return window.AudioContext ?? w.webkitAudioContext ?? null;
}

function tone(ctx: AudioContext, frequency: number, peak: number, start: number, decaySeconds: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(peak, start + 0.02); // a soft strike, no click
  gain.gain.exponentialRampToValueAtTime(0.0001, start + decaySeconds);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + decaySeconds + 0.05);
}

export function createCues(): Cues {
  let ctx: AudioContext | null = null;
  const context = (): AudioContext | null => {
    if (ctx) return ctx;
    const Ctor = audioContextCtor();
    if (!Ctor) return null;
    try {
      ctx = new Ctor();
    } catch {
      return null;
    }
    return ctx;
  };
  return {
    unlock() {
      const c = context();
      if (c && c.state === 'suspended') void c.resume().catch(() => undefined);
    },
    chime() {
      const c = context();
      if (!c) return;
      const t = c.currentTime + 0.02;
      // A singing-bowl-like partial series, struck twice, fading over a few seconds.
      for (const strike of [0, 1.6]) {
        tone(c, 432, 0.18, t + strike, 3.5);
        tone(c, 432 * 2.76, 0.05, t + strike, 2.2);
        tone(c, 432 * 5.4, 0.02, t + strike, 1.2);
      }
    },
    softCue() {
      const c = context();
      if (!c) return;
      tone(c, 660, 0.06, c.currentTime + 0.02, 1.4);
    },
    pieceArrived() {
      const c = context();
      if (!c) return;
      tone(c, 523, 0.05, c.currentTime + 0.02, 0.9);
      tone(c, 784, 0.05, c.currentTime + 0.22, 1.2);
    },
  };
}
