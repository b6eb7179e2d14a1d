//! A private PostgreSQL server for a test: Debian's binaries (`scripts/install-postgresql.sh`
//! installs the `postgresql` package when they are missing), `initdb` into a temporary folder
//! (as the `postgres` system user when the tests run as root: initdb refuses root), listening
//! only on a Unix socket in that folder, with password authentication. Stopped
//! (`pg_ctl stop -m immediate`) when dropped, a failing test included.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU16, Ordering};

/// The superuser the tests load with.
pub const ADMIN: &str = "skm_admin";
pub const ADMIN_PASSWORD: &str = "kata-sandi-uji";
/// The database the tests load into.
pub const DATABASE: &str = "skm";

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

pub struct Server {
    pub dir: tempfile::TempDir,
    pub port: u16,
    bin: PathBuf,
    /// Run the server's commands as the `postgres` user (the tests run as root).
    as_postgres: bool,
}

/// The folder of Debian's PostgreSQL server binaries, installed when missing; `None` (the test
/// is skipped, `install_with`) when they cannot be had.
pub fn binaries() -> Option<PathBuf> {
    let find = || {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
            .collect();
        found.sort_by_key(|p| {
            p.parent()
                .and_then(|v| v.file_name())
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
        });
        found.pop()
    };
    if let Some(b) = find() {
        return Some(b);
    }
    if !super::install_with(
        "install-postgresql.sh",
        "PostgreSQL's server binaries (Debian package postgresql, /usr/lib/postgresql/*/bin)",
    ) {
        return None;
    }
    Some(find().expect("initdb and pg_ctl installed under /usr/lib/postgresql/*/bin"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn id_of(flag: &str, user: &str) -> u32 {
    let o = Command::new("id")
        .args([flag, user])
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&o.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| {
            panic!("the system user {user} exists (Debian's postgresql package creates it)")
        })
}

impl Server {
    /// A new server; `None` when PostgreSQL cannot be had and the test is to be skipped.
    pub fn start() -> Option<Server> {
        let bin = binaries()?;
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("skm-pg")
            .tempdir_in("/tmp")
            .unwrap();
        if as_postgres {
            std::os::unix::fs::chown(
                dir.path(),
                Some(id_of("-u", "postgres")),
                Some(id_of("-g", "postgres")),
            )
            .unwrap();
        }
        let pw = dir.path().join("pw");
        std::fs::write(&pw, ADMIN_PASSWORD).unwrap();
        if as_postgres {
            std::os::unix::fs::chown(&pw, Some(id_of("-u", "postgres")), None).unwrap();
        }
        let port = 20000
            + (std::process::id() % 2000) as u16 * 10
            + NEXT_PORT.fetch_add(1, Ordering::SeqCst) % 10;
        let s = Server {
            dir,
            port,
            bin,
            as_postgres,
        };
        let data = s.dir.path().join("data");
        s.pg(
            "initdb",
            &[
                "-D".into(),
                data.display().to_string(),
                "-U".into(),
                ADMIN.into(),
                format!("--pwfile={}", pw.display()),
                "--auth=scram-sha-256".into(),
                "-E".into(),
                "UTF8".into(),
                "--locale=C".into(),
                "-N".into(),
            ],
        );
        let opts = format!(
            "-k {} -c listen_addresses='' -p {port} -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
            s.dir.path().display()
        );
        s.pg(
            "pg_ctl",
            &[
                "-D".into(),
                data.display().to_string(),
                "-l".into(),
                s.dir.path().join("log").display().to_string(),
                "-o".into(),
                opts,
                "-w".into(),
                "-t".into(),
                "60".into(),
                "start".into(),
            ],
        );
        s.admin("postgres")
            .batch_execute(&format!("CREATE DATABASE {DATABASE}"))
            .unwrap();
        Some(s)
    }

    fn pg(&self, tool: &str, args: &[String]) {
        let exe = self.bin.join(tool);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let o = c.args(args).current_dir(self.dir.path()).output().unwrap();
        assert!(
            o.status.success(),
            "{tool} {args:?}: {}{}\nlog: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
            std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
        );
    }

    /// The address skm is given (libpq's key=value form); the password goes by PGPASSWORD.
    pub fn url(&self, user: &str) -> String {
        format!(
            "host={} port={} user={user} dbname={DATABASE}",
            self.dir.path().display(),
            self.port
        )
    }

    pub fn client(&self, user: &str, password: &str, db: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(self.dir.path())
            .port(self.port)
            .user(user)
            .password(password)
            .dbname(db)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect as {user} to {db}: {e}"))
    }

    /// The superuser, on `db`.
    pub fn admin(&self, db: &str) -> postgres::Client {
        self.client(ADMIN, ADMIN_PASSWORD, db)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let exe = self.bin.join("pg_ctl");
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = c
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "immediate", "-w"])
            .output();
    }
}
