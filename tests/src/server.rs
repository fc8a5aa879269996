//! A real `redis-server` for the tests: found on PATH, on a free loopback
//! port, in its own temporary directory, killed on drop.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use engine::Reply;

use crate::resp::{args, Conn};

pub struct RedisServer {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

/// The path of `program` on PATH, if it is there.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Panics with a message saying how to install Redis if `program` is
/// missing: the differential tests are meaningless without it.
pub fn require(program: &str) -> PathBuf {
    which(program).unwrap_or_else(|| {
        panic!(
            "`{program}` is not on PATH: the differential tests need Redis 7.0 \
             (`apt-get install -y redis-server`, or run scripts/setup.sh)"
        )
    })
}

fn free_port() -> std::io::Result<u16> {
    // The kernel picks an unused ephemeral port; redis-server binds it just
    // after, and `start` checks that the server answering is ours.
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

impl RedisServer {
    /// Starts a server and waits until it answers PING. Retries on another
    /// port if the chosen one was taken meanwhile.
    pub fn start() -> RedisServer {
        let binary = require("redis-server");
        let mut last_error = String::new();
        for _ in 0..5 {
            match RedisServer::try_start(&binary) {
                Ok(server) => return server,
                Err(e) => last_error = e,
            }
        }
        panic!("redis-server did not start: {last_error}");
    }

    fn try_start(binary: &Path) -> Result<RedisServer, String> {
        let port = free_port().map_err(|e| e.to_string())?;
        let dir = std::env::temp_dir().join(format!(
            "redis-playground-tests-{}-{port}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let log = fs::File::create(dir.join("redis.log")).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--enable-debug-command", "yes"])
            .arg("--dir")
            .arg(&dir)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut server = RedisServer { child, port, dir };
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("exited with {status}: {}", self.log_tail()));
            }
            if let Ok(mut conn) = Conn::connect(self.port) {
                // A server that another test started on this port would
                // answer too: make sure this one is ours.
                if let Ok(Reply::Bulk(info)) = conn.call(&args(&["INFO", "server"])) {
                    let pid = format!("process_id:{}\r\n", self.child.id());
                    if String::from_utf8_lossy(&info).contains(&pid) {
                        return Ok(());
                    }
                    return Err(format!("port {} answered by another server", self.port));
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no answer on port {}: {}",
                    self.port,
                    self.log_tail()
                ));
            }
            sleep(Duration::from_millis(20));
        }
    }

    fn log_tail(&self) -> String {
        let text = fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }

    /// A new connection to the server.
    pub fn connect(&self) -> Conn {
        Conn::connect(self.port)
            .unwrap_or_else(|e| panic!("cannot connect to redis-server on {}: {e}", self.port))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}
