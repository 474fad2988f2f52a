import { isolateText, type AuthorDto, type RoomEventDto } from '@confab/shared';
import { t, type MessageKey } from '../i18n';

/** One piece of a room event's line: a person (shown as a name, isolated) or plain words. */
export type EventPart = { kind: 'user'; user: AuthorDto } | { kind: 'text'; text: string };

// Marks a placeholder in a translated sentence; a private-use character, never in a catalogue.
const SLOT = '\u{E000}';

/**
 * The sentence `key` (`'{name} added {user}'`) cut into parts at its placeholders, each filled
 * with its part. Every placeholder is filled after the cut, so nothing a user wrote (a topic, a
 * name) can be taken for one.
 */
function sentence(key: MessageKey, slots: Record<string, EventPart>): EventPart[] {
  const marked = Object.fromEntries(Object.keys(slots).map((name) => [name, `${SLOT}${name}${SLOT}`]));
  // Each placeholder became SLOT name SLOT: the pieces alternate sentence text, placeholder name, sentence text, …
  const pieces = t(key, marked).split(SLOT);
  const parts: EventPart[] = [];
  pieces.forEach((piece, index) => {
    const part: EventPart = index % 2 === 1 ? slots[piece]! : { kind: 'text', text: piece };
    const previous = parts.at(-1);
    if (part.kind === 'text' && previous?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: previous.text + part.text };
    else if (part.kind === 'user' || part.text) parts.push(part);
  });
  return parts;
}

/**
 * "Alice joined", "Alice added Bob", "Alice renamed the channel to #x", "Alice set the topic: …",
 * as parts in the reader's language, so that the view isolates each name and renders everything
 * as text, never HTML.
 */
export function eventParts(event: RoomEventDto, author: AuthorDto): EventPart[] {
  const name: EventPart = { kind: 'user', user: author };
  const text = (value: string): EventPart => ({ kind: 'text', text: value });
  switch (event.type) {
    case 'created':
      return event.name ? sentence('room.events.created', { name, channel: text(event.name) }) : sentence('room.events.createdUnnamed', { name });
    case 'joined':
      return sentence('room.events.joined', { name });
    case 'left':
      return sentence('room.events.left', { name });
    case 'added':
      return event.user ? sentence('room.events.added', { name, user: { kind: 'user', user: event.user } }) : sentence('room.events.addedSomeone', { name });
    case 'removed':
      return event.user ? sentence('room.events.removed', { name, user: { kind: 'user', user: event.user } }) : sentence('room.events.removedSomeone', { name });
    case 'renamed':
      return sentence('room.events.renamed', { name, channel: text(event.name ?? '') });
    case 'topic':
      return event.topic ? sentence('room.events.topic', { name, topic: text(event.topic) }) : sentence('room.events.topicCleared', { name });
    default:
      return sentence('room.events.changed', { name });
  }
}

/** The same line as one plain string (previews, tooltips); names isolated so they cannot reorder it. */
export function eventText(event: RoomEventDto, author: AuthorDto): string {
  return eventParts(event, author)
    .map((part) => (part.kind === 'user' ? isolateText(part.user.name) : part.text))
    .join('');
}
