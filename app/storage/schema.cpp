// schema.cpp: the SQL of each schema version and of each migration step.
#include "storage/schema.h"

#include "storage/sqlite_handle.h"

#include <string>

namespace ponder::storage::schema {

const std::string_view kV1 = R"sql(
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    title             TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    pinned            INTEGER NOT NULL DEFAULT 0,
    model             TEXT    NOT NULL DEFAULT '',
    system_prompt     TEXT    NOT NULL DEFAULT '',
    temperature       REAL,
    top_p             REAL,
    top_k             INTEGER,
    min_p             REAL,
    repeat_penalty    REAL,
    seed              INTEGER,
    max_tokens        INTEGER,
    reasoning_enabled INTEGER NOT NULL DEFAULT 1,
    reasoning_budget  INTEGER NOT NULL DEFAULT -1,
    current_leaf_id   INTEGER
);
CREATE INDEX conversations_by_recency ON conversations(pinned DESC, updated_at DESC);

CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id         INTEGER REFERENCES messages(id),
    role              TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content           TEXT    NOT NULL DEFAULT '',
    reasoning         TEXT    NOT NULL DEFAULT '',
    reasoning_ms      INTEGER NOT NULL DEFAULT 0,
    status            TEXT    NOT NULL DEFAULT 'complete'
                      CHECK (status IN ('streaming', 'complete', 'stopped', 'failed', 'interrupted')),
    error             TEXT    NOT NULL DEFAULT '',
    model             TEXT    NOT NULL DEFAULT '',
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    generated_tokens  INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens  INTEGER NOT NULL DEFAULT 0,
    ttft_ms           REAL    NOT NULL DEFAULT 0,
    tokens_per_s      REAL    NOT NULL DEFAULT 0,
    backend           TEXT    NOT NULL DEFAULT '',
    selected_child_id INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX messages_by_parent ON messages(parent_id, id);
CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
)sql";
// note: parent_id has no ON DELETE CASCADE on purpose: a cascade through a long chain of replies
// nests one trigger level per message and fails past SQLite's trigger depth limit. Subtrees are
// deleted in one statement instead (the foreign key is checked at the end of that statement).

// note: the FTS tables are external-content (the text lives once, in messages/conversations);
// the trigram tokenizer makes every term a substring match, which covers prefixes and CJK
// text without word breaks. Streaming rows are left out of the index and added when they
// finish, so the many small streaming commits never touch the FTS segments.
const std::string_view kV1ToV2 = R"sql(
CREATE TABLE models (
    id           INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL UNIQUE,
    size_bytes   INTEGER NOT NULL,
    mtime_ms     INTEGER NOT NULL,
    fingerprint  TEXT    NOT NULL,
    metadata     TEXT    NOT NULL DEFAULT '{}',
    added_at     INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    missing      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX models_by_fingerprint ON models(fingerprint);

CREATE VIRTUAL TABLE message_fts USING fts5(
    content, reasoning, content='messages', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE title_fts USING fts5(
    title, content='conversations', content_rowid='id', tokenize='trigram');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
    INSERT INTO message_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status <> 'streaming' BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning)
        VALUES ('delete', old.id, old.content, old.reasoning);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, reasoning, status ON messages BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning)
        SELECT 'delete', old.id, old.content, old.reasoning WHERE old.status <> 'streaming';
    INSERT INTO message_fts(rowid, content, reasoning)
        SELECT new.id, new.content, new.reasoning WHERE new.status <> 'streaming';
END;

CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO title_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO title_fts(title_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO title_fts(title_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO title_fts(rowid, title) VALUES (new.id, new.title);
END;

INSERT INTO message_fts(rowid, content, reasoning)
    SELECT id, content, reasoning FROM messages WHERE status <> 'streaming';
INSERT INTO title_fts(rowid, title) SELECT id, title FROM conversations;
)sql";

const std::string_view kV2ToV3 = R"sql(
ALTER TABLE messages ADD COLUMN dropped_messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN reasoning_budget_reached INTEGER NOT NULL DEFAULT 0;
)sql";

void apply_step(sqlite3* db, int from) {
    switch (from) {
    case 0: detail::exec(db, kV1, "creating the history database"); break;
    case 1: detail::exec(db, kV1ToV2, "upgrading the history database to version 2"); break;
    case 2: detail::exec(db, kV2ToV3, "upgrading the history database to version 3"); break;
    default:
        throw StorageError(ErrorKind::Internal,
                           "No migration from history database version " + std::to_string(from) + ".");
    }
    // PRAGMA takes no bound parameters; the value is a small integer we produce ourselves.
    detail::exec(db, "PRAGMA user_version = " + std::to_string(from + 1), "recording the schema version");
}

}  // namespace ponder::storage::schema
