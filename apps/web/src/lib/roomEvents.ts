import { isolateText, type AuthorDto, type RoomEventDto } from '@confab/shared';

/** One piece of a room event's line: a person (shown as a name, isolated) or plain words. */
export type EventPart = { kind: 'user'; user: AuthorDto } | { kind: 'text'; text: string };

/**
 * "Alice joined", "Alice added Bob", "Alice renamed the channel to #x", "Alice set the topic: …",
 * as parts, so that the view isolates each name and renders everything as text, never HTML.
 */
export function eventParts(event: RoomEventDto, author: AuthorDto): EventPart[] {
  const who: EventPart = { kind: 'user', user: author };
  const text = (value: string): EventPart => ({ kind: 'text', text: value });
  switch (event.type) {
    case 'created':
      return [who, text(event.name ? ` created #${event.name}` : ' created the channel')];
    case 'joined':
      return [who, text(' joined')];
    case 'left':
      return [who, text(' left')];
    case 'added':
      return event.user ? [who, text(' added '), { kind: 'user', user: event.user }] : [who, text(' added someone')];
    case 'removed':
      return event.user ? [who, text(' removed '), { kind: 'user', user: event.user }] : [who, text(' removed someone')];
    case 'renamed':
      return [who, text(` renamed the channel to #${event.name ?? ''}`)];
    case 'topic':
      return event.topic ? [who, text(` set the topic: ${event.topic}`)] : [who, text(' cleared the topic')];
    default:
      return [who, text(' changed the room')];
  }
}

/** The same line as one plain string (previews, tooltips); names isolated so they cannot reorder it. */
export function eventText(event: RoomEventDto, author: AuthorDto): string {
  return eventParts(event, author)
    .map((part) => (part.kind === 'user' ? isolateText(part.user.name) : part.text))
    .join('');
}
