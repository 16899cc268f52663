//! Sorting more entries than memory should hold, for `import`: entries (a sort key and a
//! payload, both bytes) are kept in memory up to half a budget, then sorted and written out
//! as a run to an unnamed temporary file in the ledger folder, on another thread while the
//! next half fills; reading merges the runs, on another thread a batch ahead of the reader.
//! A run's file has no name once created (see [`spill_file`]), so a killed import leaves
//! nothing.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes of entries one sorter keeps in memory: the entries coming in, and the run being
/// written.
pub const BUDGET: usize = 32 << 20;

/// Entries ordered by their key bytes (compared as bytes); equal keys keep insertion order.
/// Where an entry sits in the arena, with its key's first 16 bytes as a number, padded with
/// zeros so that it orders as the bytes do (most comparisons end there: keys start with a
/// hash, or with a date, a source and a line).
#[derive(Clone, Copy)]
pub struct Entry {
    prefix: u128,
    start: usize,
    key: u32,
    payload: u32,
}

fn prefix(key: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    let n = key.len().min(16);
    b[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(b)
}

pub struct Sorter {
    dir: PathBuf,
    budget: usize,
    arena: Vec<u8>,
    index: Vec<Entry>,
    runs: Vec<File>,
    /// The run being sorted and written on another thread while entries go on coming: it
    /// gives back its file and, emptied, its buffers.
    writing: Option<std::thread::JoinHandle<io::Result<Written>>>,
}

type Written = (File, Vec<u8>, Vec<Entry>);

impl Sorter {
    /// A sorter with the default budget; `TALLY_SORT_BUDGET` (bytes) sets another, so that
    /// tests can make small imports spill.
    pub fn new(dir: &Path) -> Sorter {
        let budget = std::env::var("TALLY_SORT_BUDGET")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(BUDGET);
        Sorter::with_budget(dir, budget)
    }

    pub fn with_budget(dir: &Path, budget: usize) -> Sorter {
        Sorter {
            dir: dir.to_path_buf(),
            budget,
            arena: Vec::new(),
            index: Vec::new(),
            runs: Vec::new(),
            writing: None,
        }
    }

    pub fn push(&mut self, key: &[u8], payload: &[u8]) -> io::Result<()> {
        let used = self.arena.len() + self.index.len() * std::mem::size_of::<Entry>();
        // Half the budget: the other half is the run being sorted and written meanwhile.
        if used + key.len() + payload.len() > self.budget / 2 && !self.index.is_empty() {
            self.spill()?;
        }
        let start = self.arena.len();
        self.arena.extend_from_slice(key);
        self.arena.extend_from_slice(payload);
        self.index.push(Entry {
            prefix: prefix(key),
            start,
            key: len32(key.len())?,
            payload: len32(payload.len())?,
        });
        Ok(())
    }

    /// Hands the entries in memory to another thread, which sorts them and writes them as a
    /// run, once the run before is written (so that at most two buffers are held).
    fn spill(&mut self) -> io::Result<()> {
        let spare = self.wait()?;
        let (mut arena, mut index) = spare.unwrap_or_default();
        std::mem::swap(&mut arena, &mut self.arena);
        std::mem::swap(&mut index, &mut self.index);
        let dir = self.dir.clone();
        let handle = std::thread::Builder::new()
            .name("tally-sort".into())
            .spawn(move || write_run(&dir, arena, index))?;
        self.writing = Some(handle);
        Ok(())
    }

    /// Waits for the run being written; gives back its emptied buffers.
    fn wait(&mut self) -> io::Result<Option<(Vec<u8>, Vec<Entry>)>> {
        let Some(handle) = self.writing.take() else {
            return Ok(None);
        };
        let (file, mut arena, mut index) = handle
            .join()
            .map_err(|_| io::Error::other("sorting a run failed"))??;
        self.runs.push(file);
        arena.clear();
        index.clear();
        Ok(Some((arena, index)))
    }

    /// Every entry pushed, in key order.
    pub fn finish(mut self) -> io::Result<Sorted> {
        self.wait()?;
        if self.runs.is_empty() {
            sort(&self.arena, &mut self.index);
            return Ok(Sorted::Memory {
                arena: std::mem::take(&mut self.arena),
                index: std::mem::take(&mut self.index),
                at: 0,
            });
        }
        if !self.index.is_empty() {
            let arena = std::mem::take(&mut self.arena);
            let index = std::mem::take(&mut self.index);
            self.runs.push(write_run(&self.dir, arena, index)?.0);
        }
        let readers: Vec<Run> = std::mem::take(&mut self.runs)
            .into_iter()
            .map(|f| Run {
                reader: BufReader::with_capacity(1 << 16, f),
                payload: Vec::new(),
            })
            .collect();
        let heap = BinaryHeap::with_capacity(readers.len());
        let mut merge = Merge { readers, heap };
        merge.rewind()?;
        Ok(Sorted::Runs {
            merge: Some(merge),
            ahead: None,
        })
    }
}

impl Drop for Sorter {
    /// A sorter given up (the import failed) still waits for its run: the run's file is
    /// named until it is written to, and a named file must not outlive tally.
    fn drop(&mut self) {
        if let Some(handle) = self.writing.take() {
            let _ = handle.join();
        }
    }
}

fn sort(arena: &[u8], index: &mut [Entry]) {
    let key = |e: &Entry| &arena[e.start..e.start + e.key as usize];
    // Entries sit in the arena in the order they came: their place breaks ties, so an
    // unstable sort keeps equal keys in that order.
    index.sort_unstable_by(|a, b| {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| key(a).cmp(key(b)))
            .then(a.start.cmp(&b.start))
    });
}

/// Sorts entries and writes them as a run, to be read from its start.
fn write_run(dir: &Path, arena: Vec<u8>, mut index: Vec<Entry>) -> io::Result<Written> {
    sort(&arena, &mut index);
    let file = spill_file(dir)?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    for e in &index {
        w.write_all(&e.key.to_le_bytes())?;
        w.write_all(&e.payload.to_le_bytes())?;
        w.write_all(&arena[e.start..e.start + e.key as usize + e.payload as usize])?;
    }
    let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.seek(SeekFrom::Start(0))?;
    Ok((file, arena, index))
}

fn len32(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(io::Error::other)
}

/// An unnamed file in `dir` for spilled entries: created under the writers' temporary name
/// (`.tally-<pid>-….tmp`, swept by `fsutil::recover` if a crash catches it there) and
/// unlinked at once, so the system frees it when tally exits, however it exits.
fn spill_file(dir: &Path) -> io::Result<File> {
    std::fs::create_dir_all(dir)?;
    Ok(crate::fsutil::temp_in(dir)?.into_file())
}

pub struct Run {
    reader: BufReader<File>,
    payload: Vec<u8>,
}

impl Run {
    /// Reads the next entry: its key into `key`, its payload into `self.payload`.
    fn read(&mut self, key: &mut Vec<u8>) -> io::Result<bool> {
        let mut lens = [0u8; 8];
        match self.reader.read_exact(&mut lens) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
        let k = u32::from_le_bytes([lens[0], lens[1], lens[2], lens[3]]) as usize;
        let p = u32::from_le_bytes([lens[4], lens[5], lens[6], lens[7]]) as usize;
        key.resize(k, 0);
        self.reader.read_exact(key)?;
        self.payload.resize(p, 0);
        self.reader.read_exact(&mut self.payload)?;
        Ok(true)
    }
}

/// The entries of a [`Sorter`] in order.
pub enum Sorted {
    Memory {
        arena: Vec<u8>,
        index: Vec<Entry>,
        at: usize,
    },
    /// Runs merged on another thread once reading starts: `merge` is here before that, and
    /// back after a rewind.
    Runs {
        merge: Option<Merge>,
        ahead: Option<Ahead>,
    },
}

/// Runs being merged.
pub struct Merge {
    readers: Vec<Run>,
    /// Each run's next key, after its first 16 bytes as a number (see [`Entry`]).
    heap: BinaryHeap<Reverse<(u128, Vec<u8>, usize)>>,
}

impl Merge {
    fn rewind(&mut self) -> io::Result<()> {
        self.heap.clear();
        for (i, run) in self.readers.iter_mut().enumerate() {
            run.reader.seek(SeekFrom::Start(0))?;
            let mut key = Vec::new();
            if run.read(&mut key)? {
                self.heap.push(Reverse((prefix(&key), key, i)));
            }
        }
        Ok(())
    }

    fn next_into(&mut self, key: &mut Vec<u8>, payload: &mut Vec<u8>) -> io::Result<bool> {
        let Some(Reverse((_, mut top, i))) = self.heap.pop() else {
            return Ok(false);
        };
        std::mem::swap(key, &mut top);
        std::mem::swap(payload, &mut self.readers[i].payload);
        // `top` now holds the caller's old buffer: reuse it for the run's next key.
        if self.readers[i].read(&mut top)? {
            self.heap.push(Reverse((prefix(&top), top, i)));
        }
        Ok(true)
    }
}

/// Bytes of entries the merging thread hands over at a time.
const BATCH: usize = 1 << 18;

/// The merging thread: entries in batches, each entry behind its two lengths as in a run.
pub struct Ahead {
    batches: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    /// Batches read, back to the thread to fill again.
    spent: std::sync::mpsc::SyncSender<Vec<u8>>,
    thread: std::thread::JoinHandle<Merge>,
    batch: Vec<u8>,
    at: usize,
    /// The thread said the merge is over (an empty batch).
    ended: bool,
}

impl Ahead {
    fn start(mut merge: Merge) -> io::Result<Ahead> {
        let (tx, batches) = std::sync::mpsc::sync_channel(2);
        let (spent, spent_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let thread = std::thread::Builder::new()
            .name("tally-merge".into())
            .spawn(move || {
                let (mut key, mut payload) = (Vec::new(), Vec::new());
                loop {
                    let mut batch = spent_rx.try_recv().unwrap_or_default();
                    batch.clear();
                    let mut more = Ok(true);
                    while batch.len() < BATCH {
                        more = merge.next_into(&mut key, &mut payload);
                        if !matches!(more, Ok(true)) {
                            break;
                        }
                        batch.extend_from_slice(&(key.len() as u32).to_le_bytes());
                        batch.extend_from_slice(&(payload.len() as u32).to_le_bytes());
                        batch.extend_from_slice(&key);
                        batch.extend_from_slice(&payload);
                    }
                    // A reader gone (rewound or dropped) ends the merge.
                    if !batch.is_empty() && tx.send(Ok(batch)).is_err() {
                        break;
                    }
                    match more {
                        Ok(true) => {}
                        Ok(false) => {
                            // The end, said: a thread that stops without saying so failed.
                            let _ = tx.send(Ok(Vec::new()));
                            break;
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
                merge
            })?;
        Ok(Ahead {
            batches,
            spent,
            thread,
            batch: Vec::new(),
            at: 0,
            ended: false,
        })
    }

    fn next_into(&mut self, key: &mut Vec<u8>, payload: &mut Vec<u8>) -> io::Result<bool> {
        if self.at == self.batch.len() {
            if self.ended {
                return Ok(false);
            }
            let spent = std::mem::take(&mut self.batch);
            let _ = self.spent.try_send(spent);
            self.at = 0;
            match self.batches.recv() {
                Ok(batch) => self.batch = batch?,
                Err(_) => return Err(io::Error::other("the merge of sorted rows stopped")),
            }
            if self.batch.is_empty() {
                self.ended = true;
                return Ok(false);
            }
        }
        let mut take = |n: usize| {
            let bytes = &self.batch[self.at..self.at + n];
            self.at += n;
            bytes
        };
        let k = u32::from_le_bytes(take(4).try_into().expect("4 bytes")) as usize;
        let p = u32::from_le_bytes(take(4).try_into().expect("4 bytes")) as usize;
        key.clear();
        key.extend_from_slice(take(k));
        payload.clear();
        payload.extend_from_slice(take(p));
        Ok(true)
    }

    /// Stops the thread and takes its merge back.
    fn stop(self) -> io::Result<Merge> {
        drop(self.batches);
        self.thread
            .join()
            .map_err(|_| io::Error::other("merging runs failed"))
    }
}

impl Sorted {
    /// Back to the first entry, to read them all again (a second pass costs a read, where
    /// sorting the entries again would cost a write and a read).
    pub fn rewind(&mut self) -> io::Result<()> {
        match self {
            Sorted::Memory { at, .. } => *at = 0,
            Sorted::Runs { merge, ahead } => {
                if let Some(a) = ahead.take() {
                    *merge = Some(a.stop()?);
                }
                if let Some(m) = merge {
                    m.rewind()?;
                }
            }
        }
        Ok(())
    }

    /// The next entry into `key` and `payload`; `false` after the last.
    pub fn next_into(&mut self, key: &mut Vec<u8>, payload: &mut Vec<u8>) -> io::Result<bool> {
        match self {
            Sorted::Memory { arena, index, at } => {
                let Some(e) = index.get(*at) else {
                    return Ok(false);
                };
                *at += 1;
                let (start, k, p) = (e.start, e.key as usize, e.payload as usize);
                key.clear();
                key.extend_from_slice(&arena[start..start + k]);
                payload.clear();
                payload.extend_from_slice(&arena[start + k..start + k + p]);
                Ok(true)
            }
            Sorted::Runs { merge, ahead } => {
                if ahead.is_none()
                    && let Some(m) = merge.take()
                {
                    *ahead = Some(Ahead::start(m)?);
                }
                match ahead {
                    Some(a) => a.next_into(key, payload),
                    None => Ok(false),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(s: &mut Sorted) -> Vec<(Vec<u8>, Vec<u8>)> {
        let (mut k, mut p) = (Vec::new(), Vec::new());
        let mut out = Vec::new();
        while s.next_into(&mut k, &mut p).expect("reads") {
            out.push((k.clone(), p.clone()));
        }
        out
    }

    #[test]
    fn spilled_runs_merge_in_order_and_equal_keys_keep_their_order() {
        let dir = tempfile::tempdir().expect("dir");
        for budget in [usize::MAX, 64] {
            let mut s = Sorter::with_budget(dir.path(), budget);
            let mut expected = Vec::new();
            for i in 0..500u32 {
                let key = ((i * 7919) % 97).to_be_bytes().to_vec();
                let payload = i.to_le_bytes().to_vec();
                s.push(&key, &payload).expect("push");
                expected.push((key, payload));
            }
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            let mut sorted = s.finish().expect("finish");
            assert_eq!(drain(&mut sorted), expected, "budget {budget}");
            sorted.rewind().expect("rewind");
            assert_eq!(drain(&mut sorted), expected, "again, budget {budget}");
        }
        let left = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(left, 0, "runs leave no file behind");
    }

    #[test]
    fn a_rewind_part_way_stops_the_merge_ahead_and_reads_from_the_first() {
        let dir = tempfile::tempdir().expect("dir");
        // Many batches of entries, so that the merging thread waits to hand them over.
        let mut s = Sorter::with_budget(dir.path(), 1 << 18);
        let mut expected = Vec::new();
        for i in 0..4000u32 {
            let key = ((i * 7919) % 1009).to_be_bytes().to_vec();
            let payload = vec![(i % 251) as u8; 1000];
            s.push(&key, &payload).expect("push");
            expected.push((key, payload));
        }
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        let mut sorted = s.finish().expect("finish");
        let (mut k, mut p) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            assert!(sorted.next_into(&mut k, &mut p).expect("reads"));
        }
        sorted.rewind().expect("rewind");
        assert_eq!(drain(&mut sorted), expected);
    }
}
