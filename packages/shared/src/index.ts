export * from './limits.js';
export * from './errors.js';
export * from './schemas.js';
export * from './roomSchemas.js';
export * from './notifySchemas.js';
export * from './messageSchemas.js';
export * from './mentions.js';
export * from './files.js';
export * from './dto.js';
export * from './events.js';
export * from './admin.js';
export * from './validate.js';
export {
  bodyLength,
  displayNameLength,
  excerpt,
  forbiddenNameCharacter,
  isolateText,
  normalizeBody,
  normalizeDisplayName,
  textLength,
  userName,
  userText,
} from './text.js';
export * from './limitText.js';
