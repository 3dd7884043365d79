/**
 * Gentle cues synthesised with the Web Audio API: no audio files to fetch. A bowl-like chime for the end
 * of the shared timer, a single soft tone when the speaker has a little time left, and the circle's bell.
 * None of them interrupts anyone.
 */
export interface Cues {
  chime(): void;
  /** One soft tone: the speaker has a little time left ("finish up"). */
  softCue(): void;
  /** Two soft rising notes: the talking piece has reached you. */
  pieceArrived(): void;
  /** Browsers start audio only after a user gesture; call this from one (any click or key press). */
  unlock(): void;
  /**
   * The circle's bell: a singing bowl struck `strikes` times, `BELL_STRIKE_GAP_MS` apart, the first
   * `delayMs` from now (at once when 0). Optional so that simple test doubles need not provide it.
   */
  bell?(strikes: number, delayMs: number): void;
}

/** Between two strikes of one bell. */
export const BELL_STRIKE_GAP_MS = 1_200;

/**
 * A singing bowl's partials: inharmonic ratios (roughly those measured on real bowls), each with its
 * own level and ring time; the fundamental's twin, detuned by a few cents, gives the slow beating.
 */
const BOWL_PARTIALS = [
  { ratio: 1, gain: 0.2, decay: 6 },
  { ratio: 1.004, gain: 0.1, decay: 5.5 },
  { ratio: 2.71, gain: 0.07, decay: 4 },
  { ratio: 5.15, gain: 0.03, decay: 2.6 },
  { ratio: 8.4, gain: 0.012, decay: 1.5 },
] as const;
const BOWL_HZ = 262;
const BOWL_ATTACK_S = 0.035;

function bowlStrike(ctx: AudioContext, out: AudioNode, start: number): void {
  for (const p of BOWL_PARTIALS) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = BOWL_HZ * p.ratio;
    // A gentle attack (a padded striker, not a click), then a long exponential fade.
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.linearRampToValueAtTime(p.gain, start + BOWL_ATTACK_S);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + p.decay);
    osc.connect(gain).connect(out);
    osc.start(start);
    osc.stop(start + p.decay + 0.05);
  }
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
    bell(strikes, delayMs) {
      const c = context();
      if (!c) return;
      // Overlapping strikes sum: a compressor keeps three of them from clipping.
      const out = c.createDynamicsCompressor();
      out.connect(c.destination);
      const first = c.currentTime + 0.02 + Math.max(0, delayMs) / 1000;
      for (let i = 0; i < strikes; i += 1) bowlStrike(c, out, first + (i * BELL_STRIKE_GAP_MS) / 1000);
    },
    pieceArrived() {
      const c = context();
      if (!c) return;
      tone(c, 523, 0.05, c.currentTime + 0.02, 0.9);
      tone(c, 784, 0.05, c.currentTime + 0.22, 1.2);
    },
  };
}
