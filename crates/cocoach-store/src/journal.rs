//! The private journal: reflections that stay on this device. Its own SQLite file,
//! with FTS5 full-text search. Nothing here reads or writes the shared document.

use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::sqlite::{self, Missing, sql_err};
use crate::{DataDir, Result, StoreError};

const VERSION: i64 = 1;
const SCHEMA: &str = "
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    text TEXT NOT NULL,
    session_id TEXT,
    action_id TEXT
);
CREATE VIRTUAL TABLE entries_fts USING fts5(
    text, content='entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER entries_au AFTER UPDATE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO entries_fts(rowid, text) VALUES (new.id, new.text);
END;
";

/// What a reflection is about, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalLink {
    None,
    Session(String),
    Action(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub text: String,
    pub link: JournalLink,
}

#[derive(Debug)]
pub struct Journal {
    conn: Connection,
    file: PathBuf,
}

const COLUMNS: &str = "e.id, e.created_at, e.updated_at, e.text, e.session_id, e.action_id";

fn entry(r: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    let session: Option<String> = r.get(4)?;
    let action: Option<String> = r.get(5)?;
    Ok(JournalEntry {
        id: r.get(0)?,
        created_at_ms: r.get(1)?,
        updated_at_ms: r.get(2)?,
        text: r.get(3)?,
        link: match (session, action) {
            (Some(s), _) => JournalLink::Session(s),
            (None, Some(a)) => JournalLink::Action(a),
            (None, None) => JournalLink::None,
        },
    })
}

/// Turn what the user typed into a safe FTS5 query: each word quoted (so no FTS
/// syntax can fail) and matched as a prefix; all words must match.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" AND "))
    }
}

impl Journal {
    pub fn open_or_create(dir: &DataDir) -> Result<Journal> {
        dir.ensure()?;
        let file = dir.journal_db();
        let (conn, _) = sqlite::open(&file, VERSION, SCHEMA, Missing::Create, |_| Ok(()))?;
        // A deleted or rewritten reflection must leave the file's bytes, not only the
        // list: SQLite zeroes what it frees (`secure_delete`, per connection), and the
        // search index removes a deleted entry's words instead of marking them
        // (FTS5 `secure-delete`, stored in the index).
        conn.execute_batch(
            "PRAGMA secure_delete = ON;
             INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 1);",
        )
        .map_err(sql_err(&file))?;
        sqlite::trust(&conn, &file)?;
        Ok(Journal { conn, file })
    }

    /// After a delete or a rewrite: copy the WAL back into the database and empty
    /// it, so the old text's pages in the WAL are gone too. A failure leaves the
    /// edit done (it is committed); the next checkpoint catches up.
    fn scrub(&self) {
        if let Err(e) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            tracing::warn!(error = %cocoach_doc::error_text(&e), "could not checkpoint the journal");
        }
    }

    pub fn file(&self) -> &std::path::Path {
        &self.file
    }

    fn check_text(text: &str) -> Result<()> {
        if text.trim().is_empty() {
            return Err(StoreError::Doc(cocoach_doc::DocError::InvalidValue {
                field: "reflection",
                reason: "must not be empty".into(),
            }));
        }
        Ok(())
    }

    /// Add a reflection; returns its id. Durable when this returns.
    pub fn add(&mut self, text: &str, link: &JournalLink) -> Result<i64> {
        Self::check_text(text)?;
        let (s, a) = match link {
            JournalLink::None => (None, None),
            JournalLink::Session(s) => (Some(s.as_str()), None),
            JournalLink::Action(a) => (None, Some(a.as_str())),
        };
        let now = cocoach_doc::now_ms();
        self.conn
            .execute(
                "INSERT INTO entries(created_at, updated_at, text, session_id, action_id) VALUES (?1, ?1, ?2, ?3, ?4)",
                params![now, text, s, a],
            )
            .map_err(sql_err(&self.file))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update(&mut self, id: i64, text: &str) -> Result<()> {
        Self::check_text(text)?;
        let n = self
            .conn
            .execute(
                "UPDATE entries SET text = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, text, cocoach_doc::now_ms()],
            )
            .map_err(sql_err(&self.file))?;
        if n == 0 {
            return Err(not_found(id));
        }
        self.scrub();
        Ok(())
    }

    pub fn delete(&mut self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM entries WHERE id = ?1", params![id])
            .map_err(sql_err(&self.file))?;
        if n == 0 {
            return Err(not_found(id));
        }
        self.scrub();
        Ok(())
    }

    pub fn get(&self, id: i64) -> Result<Option<JournalEntry>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM entries e WHERE e.id = ?1"),
                params![id],
                entry,
            )
            .optional()
            .map_err(sql_err(&self.file))
    }

    /// All reflections, newest first.
    pub fn list(&self) -> Result<Vec<JournalEntry>> {
        self.query(
            &format!("SELECT {COLUMNS} FROM entries e ORDER BY e.created_at DESC, e.id DESC"),
            params![],
        )
    }

    /// Reflections linked to a session or an action.
    pub fn linked(&self, link: &JournalLink) -> Result<Vec<JournalEntry>> {
        match link {
            JournalLink::None => Ok(Vec::new()),
            JournalLink::Session(s) => self.query(
                &format!("SELECT {COLUMNS} FROM entries e WHERE e.session_id = ?1 ORDER BY e.created_at DESC"),
                params![s],
            ),
            JournalLink::Action(a) => self.query(
                &format!("SELECT {COLUMNS} FROM entries e WHERE e.action_id = ?1 ORDER BY e.created_at DESC"),
                params![a],
            ),
        }
    }

    /// Full-text search (word prefixes, accents ignored), best match first.
    pub fn search(&self, query: &str) -> Result<Vec<JournalEntry>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid
                 WHERE entries_fts MATCH ?1 ORDER BY rank"
            ),
            params![q],
        )
    }

    fn query(&self, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<JournalEntry>> {
        let err = sql_err(&self.file);
        let mut stmt = self.conn.prepare(sql).map_err(&err)?;
        let rows = stmt.query_map(p, entry).map_err(&err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&err)
    }
}

fn not_found(id: i64) -> StoreError {
    StoreError::Doc(cocoach_doc::DocError::NotFound {
        what: "reflection",
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_finds_words_by_prefix_and_ignores_accents_and_syntax() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::open_or_create(&DataDir::new(dir.path())).unwrap();
        let a = j
            .add(
                "Felt nervous about the Zürich interview",
                &JournalLink::None,
            )
            .unwrap();
        let b = j
            .add(
                "Networking coffee went well",
                &JournalLink::Action("abc".into()),
            )
            .unwrap();
        assert_eq!(
            j.search("zurich")
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect::<Vec<_>>(),
            vec![a]
        );
        assert_eq!(j.search("netw").unwrap()[0].id, b);
        assert!(j.search("\"unbalanced AND (").unwrap().is_empty());
        assert!(j.search("   ").unwrap().is_empty());
        j.update(a, "Calmer now").unwrap();
        assert!(j.search("nervous").unwrap().is_empty());
        assert_eq!(j.search("calm").unwrap()[0].id, a);
        j.delete(b).unwrap();
        assert!(j.search("coffee").unwrap().is_empty());
        assert_eq!(j.list().unwrap().len(), 1);
        assert!(j.add("  ", &JournalLink::None).is_err());
        assert!(j.update(999, "x").is_err());
    }
}
