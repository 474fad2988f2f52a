import { adminSettingsUpdateSchema, type AdminSettingsDto } from '@confab/shared';
import { Schema, type Connection } from 'mongoose';
import { objectIdHexType } from './messageModel.js';

/** The settings an admin can save, each one the `_id` of its own document. */
export const SETTING_KEYS = Object.keys(adminSettingsUpdateSchema.shape) as (keyof AdminSettingsDto)[];

/**
 * One saved setting. Each has a document of its own, so that saving one never writes another:
 * FerretDB 1.x applies an update by reading the whole document and writing it back, unisolated,
 * so two admins saving different settings of one document at once could each write back the
 * other's old value (see NotifySettingDoc).
 */
export interface SettingDoc {
  _id: keyof AdminSettingsDto;
  /** As the admin saved it; null is a value (no edit window, no quota). */
  value: unknown;
}

const settingSchema = new Schema<SettingDoc>(
  {
    _id: { type: String, required: true, enum: SETTING_KEYS },
    value: { type: Schema.Types.Mixed },
  },
  { collection: 'settings', strict: 'throw', strictQuery: 'throw', versionKey: false, minimize: false },
);

export function settingModel(connection: Connection) {
  return connection.model<SettingDoc>('Setting', settingSchema);
}

export type SettingModel = ReturnType<typeof settingModel>;

/**
 * Server-wide facts claimed once, for good: `_id` names the fact (`firstAccount`), so the unique
 * `_id` index lets exactly one claim in, on every server.
 */
export interface ServerClaimDoc {
  _id: string;
  userId: string;
}

const serverClaimSchema = new Schema<ServerClaimDoc>(
  {
    _id: { type: String, required: true, maxlength: 64 },
    userId: objectIdHexType,
  },
  { collection: 'serverClaims', strict: 'throw', strictQuery: 'throw', versionKey: false },
);

export function serverClaimModel(connection: Connection) {
  return connection.model<ServerClaimDoc>('ServerClaim', serverClaimSchema);
}

export type ServerClaimModel = ReturnType<typeof serverClaimModel>;
