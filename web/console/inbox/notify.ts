import { t } from './strings.js';

const KEY = 'switchboard.notify';

/** The agent's opt-in (localStorage): desktop notification and a short tone for assignments and mentions. */
export function notifyEnabled(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/** Turns it on or off; on asks the browser's permission (the tone plays even if it is refused). */
export async function setNotify(on: boolean): Promise<NotificationPermission | 'unsupported'> {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Only for this page then.
  }
  if (!on || !('Notification' in window)) return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}

let audio: AudioContext | null = null;

/** Two short sine blips made with WebAudio: no sound file to ship or to allow in the CSP. */
function tone(): void {
  try {
    audio ??= new AudioContext();
    const at = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, at + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + i * 0.12 + 0.11);
      osc.connect(gain).connect(audio.destination);
      osc.start(at + i * 0.12);
      osc.stop(at + i * 0.12 + 0.12);
    }
  } catch {
    // No audio device or autoplay refused: the notification alone.
  }
}

export function alertAgent(kind: 'assigned' | 'mentioned', body: string, onClick: () => void): void {
  if (!notifyEnabled()) return;
  tone();
  if ('Notification' in window && Notification.permission === 'granted') {
    const n = new Notification(t(kind === 'assigned' ? 'newAssigned' : 'mentioned'), { body, tag: kind + body });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  }
}
