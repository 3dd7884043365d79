import { describe, expect, it } from 'vitest';
import { describeMediaChoices, loadMediaChoice, loadMediaOn, loadMediaPreferences, saveMediaOn, saveMediaPreferences } from './media-preferences';

describe('media preferences', () => {
  it('default to camera on, unmuting by hand, the check not yet answered', () => {
    expect(loadMediaPreferences()).toEqual({ autoUnmute: false, cameraOn: true, checked: false });
  });

  it('remember every choice of the check, each change kept beside the others', () => {
    saveMediaPreferences({ cameraOn: false });
    saveMediaPreferences({ autoUnmute: true, videoDeviceId: 'cam-2' });
    saveMediaPreferences({ checked: true });
    expect(loadMediaPreferences()).toEqual({ autoUnmute: true, cameraOn: false, checked: true, videoDeviceId: 'cam-2' });
  });

  it('read a damaged or older record safely (an older one had no camera choice: camera on)', () => {
    localStorage.setItem('spiral:media-prefs', '{"autoUnmute":true,"audioDeviceId":5}');
    expect(loadMediaPreferences()).toEqual({ autoUnmute: true, cameraOn: true, checked: false });
    localStorage.setItem('spiral:media-prefs', 'not json');
    expect(loadMediaPreferences()).toEqual({ autoUnmute: false, cameraOn: true, checked: false });
    localStorage.setItem('spiral:media-prefs', 'null');
    expect(loadMediaPreferences().cameraOn).toBe(true);
  });

  it('video comes up in a circle unless the member left it there', () => {
    expect(loadMediaOn('c1')).toBe(true);
    saveMediaOn('c1', false);
    expect(loadMediaOn('c1')).toBe(false);
    expect(loadMediaOn('c2')).toBe(true);
    saveMediaOn('c1', true);
    expect(loadMediaOn('c1')).toBe(true);
    expect([loadMediaChoice('c1'), loadMediaChoice('c2')]).toEqual(['on', null]);
  });

  it('say in one line what joining will do', () => {
    expect(describeMediaChoices({ cameraOn: true, autoUnmute: false, checked: true })).toBe('Your camera comes on when you join; you unmute yourself when the piece comes to you.');
    expect(describeMediaChoices({ cameraOn: false, autoUnmute: true, checked: true })).toBe('You join with your camera off; your microphone unmutes when the piece comes to you.');
  });
});
