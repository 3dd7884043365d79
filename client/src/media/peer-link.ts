import { CAPTURE_SIZE, scaleDownBy, type IceServerConfig, type RelayedMediaSignal, type SendingQuality } from '@spiral/shared';

const STUCK_AFTER_MS = 4_000;

/** One direct connection to another member, with "perfect negotiation" so either side may offer. */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private awaitingFirstOffer: boolean;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private inbox: Promise<void> = Promise.resolve();
  private ignoreOffer = false;
  private readonly audio = new Audio();
  private readonly audioSender: RTCRtpSender | undefined;
  private readonly videoSender: RTCRtpSender | undefined;
  audible = false;
  /** The remote side's media session id, learnt from its first signal. */
  remoteSession: string | undefined;
  /** Everything received from them, as one stream (their audio and video may arrive without a common stream). */
  private remoteStream: MediaStream | null = null;
  /** How our video is to be sent to them (`sendingQuality` in shared), applied once the link is negotiated. */
  private quality: SendingQuality | null = null;
  /** `setParameters` calls run one at a time (each needs the parameters the last one left). */
  private qualityWork: Promise<void> = Promise.resolve();

  constructor(
    readonly peerId: string,
    private readonly polite: boolean,
    iceServers: IceServerConfig[],
    local: MediaStream,
    private readonly send: (signal: Omit<RelayedMediaSignal, 'from'>) => void,
    private readonly onRemote: (stream: MediaStream) => void,
    private readonly onVideo: (on: boolean) => void,
  ) {
    this.pc = new RTCPeerConnection({ iceServers });
    this.audio.autoplay = true;
    const audioTrack = local.getAudioTracks()[0];
    const videoTrack = local.getVideoTracks()[0];
    this.audioSender = audioTrack ? this.pc.addTrack(audioTrack, local) : this.pc.addTransceiver('audio').sender;
    this.videoSender = videoTrack ? this.pc.addTrack(videoTrack, local) : this.pc.addTransceiver('video').sender;
    // The polite side waits for the other's first offer instead of racing it: a rolled-back offer
    // can leave Chrome with no ICE candidates to send. A watchdog covers a missing or stuck offer.
    this.awaitingFirstOffer = polite;
    this.pc.onnegotiationneeded = () => {
      if (this.awaitingFirstOffer && !this.pc.remoteDescription) return;
      void this.offer();
    };
    this.watchdog = setTimeout(() => this.unstick(), STUCK_AFTER_MS);
    this.pc.onicecandidate = ({ candidate }) => this.send({ candidate: candidate ? candidate.toJSON() as RTCIceCandidateInit & { candidate: string } : null });
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
    // The sender's encodings exist only once negotiated: apply the wanted quality then (and after renegotiation).
    this.pc.onsignalingstatechange = () => {
      if (this.pc.signalingState === 'stable') this.applyQuality();
    };
    this.pc.ontrack = ({ track }) => {
      const kept = this.remoteStream?.getTracks().filter((t) => t.kind !== track.kind) ?? [];
      const stream = new MediaStream([...kept, track]);
      this.remoteStream = stream;
      if (track.kind === 'audio') {
        this.audio.srcObject = new MediaStream([track]);
        this.applyAudible();
      } else {
        track.onmute = () => this.onVideo(false);
        track.onunmute = () => this.onVideo(true);
        this.onVideo(!track.muted);
      }
      this.onRemote(stream);
    };
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (this.pc.localDescription) this.send({ description: this.description(this.pc.localDescription) });
    } catch (error) {
      console.warn('spiral: offer failed', error);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Still not connected after a while: the polite side offers after all; the other restarts ICE. */
  private unstick(): void {
    if (this.pc.signalingState === 'closed') return;
    const state = this.pc.connectionState;
    if (state === 'connected' || state === 'connecting') return;
    if (!this.pc.remoteDescription && this.awaitingFirstOffer) {
      this.awaitingFirstOffer = false;
      void this.offer();
    } else if (!this.polite) {
      this.pc.restartIce();
    }
    this.watchdog = setTimeout(() => this.unstick(), STUCK_AFTER_MS);
  }

  private description(d: RTCSessionDescription): { type: RTCSdpType; sdp: string } {
    return { type: d.type, sdp: d.sdp };
  }

  /** Signals are applied strictly in order: a candidate must wait for the description before it. */
  receive(signal: RelayedMediaSignal): Promise<void> {
    this.inbox = this.inbox.then(() => this.apply(signal));
    return this.inbox;
  }

  private async apply(signal: RelayedMediaSignal): Promise<void> {
    try {
      if (signal.description) {
        const offerCollision = signal.description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
        this.ignoreOffer = !this.polite && offerCollision;
        if (this.ignoreOffer) return;
        await this.pc.setRemoteDescription(signal.description as RTCSessionDescriptionInit);
        if (signal.description.type === 'offer') {
          this.awaitingFirstOffer = false;
          await this.pc.setLocalDescription();
          if (this.pc.localDescription) this.send({ description: this.description(this.pc.localDescription) });
        }
      } else if (signal.candidate !== undefined) {
        try {
          await this.pc.addIceCandidate(signal.candidate ?? undefined);
        } catch (error) {
          if (!this.ignoreOffer) throw error;
        }
      }
    } catch (error) {
      console.warn('spiral: signal from', this.peerId, 'failed', error);
    }
  }

  /** The receiver-side guard: their audio plays only while they may speak. */
  setAudible(audible: boolean): void {
    this.audible = audible;
    this.applyAudible();
  }

  private applyAudible(): void {
    this.audio.muted = !this.audible;
    for (const receiver of this.pc.getReceivers()) {
      if (receiver.track.kind === 'audio') receiver.track.enabled = this.audible;
    }
    if (this.audible && this.audio.srcObject) void this.audio.play().catch(() => undefined);
  }

  /** Try playing again (the browser may have held audio back until a user gesture). */
  resumeAudio(): void {
    if (this.audible && this.audio.srcObject) void this.audio.play().catch(() => undefined);
  }

  async replaceVideo(track: MediaStreamTrack | null): Promise<void> {
    if (!this.videoSender) return;
    await this.videoSender.replaceTrack(track);
    // A new camera may capture at another size: the scale is relative to it.
    this.applyQuality();
  }

  /** Send our video to them at this quality (bitrate, picture size, frame rate). */
  setSendingQuality(quality: SendingQuality): void {
    const current = this.quality;
    if (current && current.maxBitrate === quality.maxBitrate && current.maxWidth === quality.maxWidth && current.maxFramerate === quality.maxFramerate) return;
    this.quality = quality;
    this.applyQuality();
  }

  private applyQuality(): void {
    this.qualityWork = this.qualityWork.then(() => this.setParameters()).catch((error: unknown) => console.warn('spiral: sending quality not applied', error));
  }

  private async setParameters(): Promise<void> {
    const sender = this.videoSender;
    const quality = this.quality;
    if (!sender || !quality || this.pc.signalingState === 'closed') return;
    const parameters = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
    const encoding = parameters.encodings?.[0];
    if (!encoding) return; // not negotiated yet: applied when it is
    const captureWidth = sender.track?.getSettings().width ?? CAPTURE_SIZE.width;
    const scale = scaleDownBy(captureWidth, quality.maxWidth);
    if (encoding.maxBitrate === quality.maxBitrate && encoding.scaleResolutionDownBy === scale && encoding.maxFramerate === quality.maxFramerate) return;
    encoding.maxBitrate = quality.maxBitrate;
    encoding.maxFramerate = quality.maxFramerate;
    encoding.scaleResolutionDownBy = scale;
    // The featured picture keeps its size when the CPU or network is short (its frame rate gives way);
    // thumbnails balance both.
    parameters.degradationPreference = quality.maxWidth > CAPTURE_SIZE.width / 2 ? 'maintain-resolution' : 'balanced';
    await sender.setParameters(parameters);
  }

  replaceAudio(track: MediaStreamTrack | null): Promise<void> {
    return this.audioSender ? this.audioSender.replaceTrack(track) : Promise.resolve();
  }

  async stats(): Promise<{ audioLevel: number; framesDecoded: number; localAudioLevel: number }> {
    const report = await this.pc.getStats();
    let audioLevel = 0;
    let framesDecoded = 0;
    let localAudioLevel = 0;
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') audioLevel = Number(entry.audioLevel ?? 0);
      if (entry.type === 'inbound-rtp' && entry.kind === 'video') framesDecoded = Number(entry.framesDecoded ?? 0);
      if (entry.type === 'media-source' && entry.kind === 'audio') localAudioLevel = Number(entry.audioLevel ?? 0);
    });
    return { audioLevel, framesDecoded, localAudioLevel };
  }

  close(): void {
    clearTimeout(this.watchdog);
    this.audio.srcObject = null;
    this.pc.close();
  }
}
