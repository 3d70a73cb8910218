// Schema v3 of DATA_DIR/bot.db: residents' feedback (src/store/feedback.ts). No imports: usage.ts appends it to its migrations.
/** Schema v3 (appended to the usage store's MIGRATIONS): plain SQL, easy to port. */
export const FEEDBACK_MIGRATION = `
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
    ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, entry_id TEXT, question TEXT, normalized TEXT);
  CREATE INDEX feedback_day ON feedback(day);
  CREATE TABLE entry_daily (
    day TEXT NOT NULL, channel TEXT NOT NULL, ward TEXT NOT NULL DEFAULT '', entry_id TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, ward, entry_id));
  CREATE TABLE ward_residents (
    channel TEXT NOT NULL, chat TEXT NOT NULL, ward TEXT NOT NULL, day TEXT NOT NULL,
    PRIMARY KEY (channel, chat, ward));
  CREATE TABLE proposal_state (
    key TEXT PRIMARY KEY, state TEXT NOT NULL, ts INTEGER NOT NULL, day TEXT NOT NULL);`;

