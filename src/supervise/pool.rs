//! A scan worker's reader process: started for the worker's first
//! supervised file, fed one file at a time, killed and replaced when it
//! dies, overstays or the scan is interrupted; killed and reaped when the
//! worker ends (no zombie, no orphan).

use super::protocol::{self, Ended};
use super::{ChildError, Options, CHILD_COMMAND};
use crate::extract::{ExtractError, Format, UnitSink};
use crate::model::columns::ColumnTable;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a worker waiting for its reader looks at the interrupt flag.
const TICK: Duration = Duration::from_millis(100);

/// Bytes read from the reader's stdout at a time.
const CHUNK: usize = 64 << 10;

/// What is kept of the reader's stderr (an allocation failure says so there).
const SAID: usize = 4 << 10;

/// One worker's reader process, started when first needed.
pub struct Supervisor {
    /// The reader's arguments (after the program).
    args: Vec<OsString>,
    memory: u64,
    max_file_time: Option<Duration>,
    interrupt: &'static AtomicBool,
    reader: Option<Reader>,
    request: Vec<u8>,
}

impl Supervisor {
    /// A supervisor for a worker whose files have `max_file_time` each, with
    /// the patterns of `pattern_dirs` (for the column table); no process is
    /// started yet.
    pub fn new(
        opts: &Options,
        max_file_time: Option<Duration>,
        pattern_dirs: &[std::path::PathBuf],
        ocr: Option<&crate::extract::ocr::Settings>,
    ) -> Option<Self> {
        let mut args: Vec<OsString> = vec![
            CHILD_COMMAND.into(),
            "--memory".into(),
            opts.memory.to_string().into(),
        ];
        if let Some(t) = max_file_time {
            args.extend(["--max-file-time".into(), t.as_secs_f64().to_string().into()]);
        }
        for d in pattern_dirs {
            args.extend(["--patterns".into(), d.into()]);
        }
        if let Some(o) = ocr {
            args.extend([
                "--ocr".into(),
                o.program.clone().into_os_string(),
                "--ocr-languages".into(),
                o.languages.clone().into(),
                "--ocr-timeout".into(),
                o.timeout.as_secs_f64().to_string().into(),
            ]);
        }
        Some(Supervisor {
            args,
            memory: opts.memory,
            max_file_time,
            interrupt: &crate::platform::INTERRUPT,
            reader: None,
            request: Vec::new(),
        })
    }

    /// Reads the file at `path` in the reader process, replaying its events
    /// into `sink` (column roles found in `columns`), as
    /// [`crate::extract::extract_file`] would in process.
    pub fn extract(
        &mut self,
        path: &Path,
        columns: &ColumnTable,
        sink: &mut dyn UnitSink,
    ) -> Result<(Format, u64), ExtractError> {
        protocol::request(path.as_os_str().as_bytes(), &mut self.request);
        let mut reader = self.ready()?;
        let hard = self
            .max_file_time
            .map(|t| (Instant::now() + t + grace(t), t));
        match reader.answer(columns, sink, hard, self.interrupt) {
            Ok(ended) => {
                self.reader = Some(reader);
                match ended {
                    Ended::Done(result) => result.map_err(protocol::reported),
                    Ended::Panicked => Err(ChildError::Panicked.into()),
                }
            }
            // The reader is dropped: killed and reaped; the next file gets
            // a new one.
            Err(e) => Err(e.into()),
        }
    }

    /// The reader, started if need be, with the request sent.
    fn ready(&mut self) -> Result<Reader, ChildError> {
        // A reader that died between two files is replaced, once.
        for _ in 0..2 {
            let mut r = match self.reader.take() {
                Some(r) => r,
                None => Reader::start(&self.args, self.memory).map_err(ChildError::Spawn)?,
            };
            r.idle = false;
            if r.stdin
                .as_mut()
                .is_some_and(|i| i.write_all(&self.request).is_ok())
            {
                return Ok(r);
            }
        }
        Err(ChildError::Spawn(std::io::Error::other(
            "the reader process exits at once",
        )))
    }
}

/// Time past the file's own limit before a reader that did not stop is
/// killed: the reader stops by itself at the limit and reports where.
fn grace(limit: Duration) -> Duration {
    (limit / 4).clamp(Duration::from_secs(1), Duration::from_secs(15))
}

/// A duration in seconds as `--max-file-time` takes it.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        d.as_secs().to_string()
    } else {
        format!("{:.3}", d.as_secs_f64())
    }
}

/// A running reader process and what it sent that was not yet replayed.
struct Reader {
    process: Child,
    /// `None` once closed (the reader then ends).
    stdin: Option<ChildStdin>,
    /// Between two files: nothing asked of it.
    idle: bool,
    stdout: ChildStdout,
    /// `None` once the reader closed it.
    stderr: Option<ChildStderr>,
    /// Bytes read from stdout; the next frame starts at `pos`.
    buf: Vec<u8>,
    pos: usize,
    /// The start of what the reader wrote on stderr.
    said: Vec<u8>,
    /// Its address-space limit, in bytes.
    memory: u64,
}

impl Reader {
    fn start(args: &[OsString], memory: u64) -> std::io::Result<Reader> {
        // This binary; if it was replaced or removed since the scan started
        // (an upgrade during a sweep), on Linux the running one all the
        // same. (Not always /proc/self/exe: under valgrind that is valgrind.)
        let mut program = std::env::current_exe()?;
        if cfg!(target_os = "linux") && !program.exists() {
            program = "/proc/self/exe".into();
        }
        let mut cmd = Command::new(program);
        cmd.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A backtrace on stderr would only slow a crash down.
            .env_remove("RUST_BACKTRACE")
            // Its own process group: a Ctrl-C at the terminal reaches the
            // scan, which ends its readers itself.
            .process_group(0);
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and touches no memory of the
        // parent; it kills the reader if the worker thread that started it
        // dies without killing it (the scan process was killed).
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut process = cmd.spawn()?;
        let (Some(stdin), Some(stdout), stderr) = (
            process.stdin.take(),
            process.stdout.take(),
            process.stderr.take(),
        ) else {
            let _ = process.kill();
            let _ = process.wait();
            return Err(std::io::Error::other("no pipes to the reader process"));
        };
        Ok(Reader {
            process,
            stdin: Some(stdin),
            idle: true,
            stdout,
            stderr,
            buf: Vec::with_capacity(CHUNK * 2),
            pos: 0,
            said: Vec::new(),
            memory,
        })
    }

    /// Replays the frames of one file into `sink` until its end frame; an
    /// error means the reader must be killed (done by dropping it).
    fn answer(
        &mut self,
        columns: &ColumnTable,
        sink: &mut dyn UnitSink,
        hard: Option<(Instant, Duration)>,
        interrupt: &AtomicBool,
    ) -> Result<Ended, ChildError> {
        loop {
            while let Some(len) = self.next_frame()? {
                let payload = &self.buf[self.pos + 4..self.pos + 4 + len];
                let ended =
                    protocol::replay(payload, columns, sink).map_err(ChildError::Protocol)?;
                self.pos += 4 + len;
                if let Some(ended) = ended {
                    self.idle = true;
                    return Ok(ended);
                }
            }
            if interrupt.load(Ordering::Relaxed) {
                return Err(ChildError::Interrupted);
            }
            let wait = match hard {
                Some((at, limit)) => {
                    let now = Instant::now();
                    if now >= at {
                        return Err(ChildError::TimeLimit {
                            secs: seconds(limit),
                        });
                    }
                    (at - now).min(TICK)
                }
                None => TICK,
            };
            self.receive(wait)?;
        }
    }

    /// The length of the complete frame at `pos`, if there is one.
    fn next_frame(&mut self) -> Result<Option<usize>, ChildError> {
        let Some(head) = self.buf.get(self.pos..self.pos + 4) else {
            return Ok(None);
        };
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len > protocol::MAX_FRAME {
            return Err(ChildError::Protocol("too large"));
        }
        Ok((self.buf.len() - self.pos - 4 >= len).then_some(len))
    }

    /// Waits up to `wait` for the reader to write, and reads what it wrote.
    fn receive(&mut self, wait: Duration) -> Result<(), ChildError> {
        let mut fds = [
            libc::pollfd {
                fd: self.stdout.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                // A negative descriptor is ignored by poll.
                fd: self.stderr.as_ref().map_or(-1, AsRawFd::as_raw_fd),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let ms = wait.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
        // SAFETY: `fds` is a valid array of two pollfd for the whole call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n <= 0 {
            return Ok(()); // time out, or a signal: the caller looks again
        }
        if fds[1].revents != 0 {
            self.read_stderr();
        }
        if fds[0].revents != 0 {
            // Frames already replayed are dropped before reading more.
            if self.pos > 0 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            let len = self.buf.len();
            self.buf.resize(len + CHUNK, 0);
            let read = self.stdout.read(&mut self.buf[len..]);
            self.buf.truncate(len + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => return Err(self.death()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(self.death()),
            }
        }
        Ok(())
    }

    /// Reads what the reader wrote on stderr, keeping the start.
    fn read_stderr(&mut self) {
        let Some(err) = self.stderr.as_mut() else {
            return;
        };
        let mut chunk = [0; 4096];
        match err.read(&mut chunk) {
            Ok(0) | Err(_) => self.stderr = None,
            Ok(n) => {
                let keep = n.min(SAID.saturating_sub(self.said.len()));
                self.said.extend_from_slice(&chunk[..keep]);
            }
        }
    }

    /// Why the reader ended (its stdout closed before the file's end).
    fn death(&mut self) -> ChildError {
        let status = self.process.wait();
        // It is gone: its stderr ends.
        while self.stderr.is_some() {
            self.read_stderr();
        }
        if memchr::memmem::find(&self.said, b"memory allocation of").is_some() {
            return ChildError::OutOfMemory {
                limit_mb: self.memory >> 20,
            };
        }
        match status {
            Ok(s) => match (s.signal(), s.code()) {
                (Some(signal), _) => ChildError::Crashed { signal },
                (None, Some(code)) => ChildError::Exited { code },
                (None, None) => ChildError::Crashed { signal: 0 },
            },
            Err(_) => ChildError::Crashed { signal: 0 },
        }
    }
}

/// How long an idle reader is given to end by itself once its input closes.
const EXIT_WAIT: Duration = Duration::from_millis(500);

impl Drop for Reader {
    fn drop(&mut self) {
        // An idle reader ends by itself when its input closes (a profiler
        // watching it can then write its results); one at work, stuck or
        // slow to end is killed. Either way it is reaped.
        drop(self.stdin.take());
        if self.idle {
            let start = Instant::now();
            while start.elapsed() < EXIT_WAIT {
                if let Ok(Some(_)) = self.process.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
