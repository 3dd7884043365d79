/**
 * The harvest of a session: a Markdown record a facilitator can download and send round afterwards —
 * the circle's title, its question, the plan as it was run (with local start times) and the Going
 * Forth intentions members chose to share, with their names. Pure: the time zone and "now" come in.
 */
import type { CircleState } from './state.js';

export interface HarvestOptions {
  /** IANA time zone for the times (e.g. "Europe/Berlin"); default: the runtime's own. */
  timeZone?: string;
  /** When the harvest is made (server or local ms); shown in the header when given. */
  now?: number;
}

interface LocalTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM (24 h)
}

function localTimeFormatter(timeZone: string | undefined): (ms: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(ms))) parts[part.type] = part.value;
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  };
}

/** Characters that would turn plain words into Markdown. */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g;

/** One line of plain text, safe to place inside Markdown. */
export function markdownText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** Text that may have several lines, as a Markdown block quote. */
function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? '>' : `> ${line.trim().replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)}`))
    .join('\n');
}

function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? 'under a minute' : `${minutes} min`;
}

/** The harvest as Markdown. */
export function harvestMarkdown(state: CircleState, options: HarvestOptions = {}): string {
  const timeZone = options.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const local = localTimeFormatter(timeZone);
  const lines: string[] = [`# ${markdownText(state.title) || 'Our circle'}`, ''];

  const history = state.plan.history;
  const firstDay = history[0] ? local(history[0].startedAt).date : null;
  const facts = [firstDay ? `Met on ${firstDay}` : null, options.now === undefined ? null : `harvested ${local(options.now).date} at ${local(options.now).time}`]
    .filter((x): x is string => x !== null)
    .join(', ');
  if (facts) lines.push(`${facts[0]?.toUpperCase()}${facts.slice(1)}. Times are in ${timeZone}.`, '');

  if (state.question.trim() !== '') {
    lines.push('## The question', '', quote(state.question), '');
  }

  lines.push('## The plan as run', '');
  if (history.length === 0) {
    lines.push('_The plan was not started._', '');
  } else {
    history.forEach((entry, i) => {
      const at = local(entry.startedAt);
      const when = at.date === firstDay ? at.time : `${at.date} ${at.time}`;
      const next = history[i + 1];
      const length = next ? ` (${minutesText(next.startedAt - entry.startedAt)})` : '';
      lines.push(`${i + 1}. ${when} — ${markdownText(entry.title)}${length}`);
      const prompt = state.plan.steps.find((s) => s.id === entry.stepId)?.prompt.trim();
      if (prompt) lines.push(`   _${markdownText(prompt)}_`);
    });
    lines.push('');
  }

  if (state.intentions.length > 0 || state.template === 'wtr-spiral') {
    lines.push('## Intentions we shared', '');
    if (state.intentions.length === 0) lines.push('_No intentions were shared._', '');
    for (const intention of state.intentions) {
      const name = state.participants.find((p) => p.id === intention.participantId)?.name ?? 'Someone who has left';
      lines.push(`### ${markdownText(name)}`, '', quote(intention.text), '');
    }
  }

  return `${lines.join('\n').trimEnd()}\n`;
}

/** A file name for the harvest: `harvest-<title>-<YYYY-MM-DD>.md`. */
export function harvestFileName(state: Pick<CircleState, 'title'>, now: number, timeZone?: string): string {
  const slug =
    state.title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'circle';
  return `harvest-${slug}-${localTimeFormatter(timeZone)(now).date}.md`;
}
