import { circleStateSchema } from '@spiral/shared';
import { z } from 'zod';

/** What is kept of a circle: the public state, and the secrets that never leave the server. */
export const circleRecordSchema = z.object({
  state: circleStateSchema,
  secrets: z.object({
    facilitatorKeyHash: z.string(),
    /** hash(sessionToken) → participant id, for members still seated. */
    sessionTokens: z.record(z.string(), z.string()),
    /** hashes of removed members' tokens, refused with `removed`. */
    removedTokens: z.array(z.string()),
    /**
     * participant id → the connection (Socket.IO id, unique across processes) that holds their seat:
     * a closing connection marks its member away only while it is still theirs, whichever process
     * holds it. Absent in records saved before it existed.
     */
    connections: z.record(z.string(), z.string()).optional(),
  }),
});
export type CircleRecord = z.infer<typeof circleRecordSchema>;

/**
 * Durable home of circles. `compareAndSet` writes only when the stored version is still
 * `expectedVersion`, so two writers can never overwrite each other's change.
 */
export interface CircleStore {
  get(id: string): Promise<CircleRecord | null>;
  /** Fails (false) when a circle with that id already exists. */
  create(record: CircleRecord): Promise<boolean>;
  compareAndSet(id: string, expectedVersion: number, next: CircleRecord): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Every stored circle's id, for recovery at start-up. */
  listIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** Parse stored JSON back into a record; a corrupt row is reported, never cast. */
export function parseStoredRecord(id: string, json: string): CircleRecord {
  const parsed = circleRecordSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`stored circle ${id} is not a valid record: ${parsed.error.message}`);
  return parsed.data;
}
