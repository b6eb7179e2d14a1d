//! The connection: the address as libpq takes it (a `postgresql://` URL or `host=… dbname=…`),
//! the password as libpq finds it (in the address, else `PGPASSWORD`, else the password file
//! `PGPASSFILE` or `~/.pgpass`), and where it points, said without the password.

use std::path::PathBuf;
use std::str::FromStr;

use postgres::config::Host;
use postgres::Config;

/// Where a load goes, for messages: never the password.
#[derive(Debug, Clone)]
pub struct Place {
    /// Host name, or the folder of the Unix socket.
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "host {} port {}, database {}, user {}",
            self.host, self.port, self.database, self.user
        )
    }
}

/// The address parsed, its user and password completed the libpq way. The error names what
/// is wrong with the address, never the address itself (it may hold a password).
pub fn config(url: &str) -> Result<(Config, Place), String> {
    let mut cfg = Config::from_str(url).map_err(|e| {
        format!("the database address is not valid ({e}); write it as postgresql://user@host:port/database or host=… dbname=… user=…")
    })?;
    if cfg.get_hosts().is_empty() {
        // libpq's default: the local Unix socket.
        cfg.host_path("/var/run/postgresql");
    }
    if cfg.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "postgres".into());
        cfg.user(&user);
    }
    let user = cfg.get_user().unwrap_or_default().to_string();
    if cfg.get_dbname().is_none() {
        cfg.dbname(&user);
    }
    let place = Place {
        host: match cfg.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        },
        port: cfg.get_ports().first().copied().unwrap_or(5432),
        database: cfg.get_dbname().unwrap_or_default().to_string(),
        user,
    };
    if cfg.get_password().is_none() {
        // An empty PGPASSWORD counts as unset, as in libpq.
        if let Some(pw) = std::env::var("PGPASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .or_else(|| from_pgpass(&place))
        {
            cfg.password(pw);
        }
    }
    cfg.connect_timeout(std::time::Duration::from_secs(30));
    cfg.application_name("skm");
    Ok((cfg, place))
}

fn pgpass_file() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PGPASSFILE") {
        return Some(PathBuf::from(p));
    }
    std::env::var("HOME")
        .ok()
        .map(|h| PathBuf::from(h).join(".pgpass"))
}

/// The first line of the password file matching `host:port:database:user` (`*` matches
/// anything; `\:` and `\\` are a colon and a backslash), as libpq reads it. A socket in the
/// default folder also matches `localhost`.
fn from_pgpass(place: &Place) -> Option<String> {
    let text = std::fs::read_to_string(pgpass_file()?).ok()?;
    let default_socket = matches!(
        place.host.as_str(),
        "/var/run/postgresql" | "/run/postgresql" | "/tmp"
    );
    let port = place.port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let f = fields(line);
        if f.len() != 5 {
            continue;
        }
        let host_ok = f[0] == "*" || f[0] == place.host || (default_socket && f[0] == "localhost");
        let ok = |field: &str, v: &str| field == "*" || field == v;
        if host_ok && ok(&f[1], &port) && ok(&f[2], &place.database) && ok(&f[3], &place.user) {
            return Some(f[4].clone());
        }
    }
    None
}

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("one field").push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_are_split_as_libpq_does() {
        assert_eq!(
            fields(r"db\:1:5432:*:skm:pa\:ss:word"),
            vec!["db:1", "5432", "*", "skm", "pa:ss:word"]
        );
    }

    #[test]
    fn the_place_never_holds_the_password() {
        let (cfg, place) =
            config("postgresql://ana:rahasia@db.example:6432/skm_kota").expect("valid");
        assert_eq!(cfg.get_password(), Some(&b"rahasia"[..]));
        let shown = place.to_string();
        assert_eq!(
            shown,
            "host db.example port 6432, database skm_kota, user ana"
        );
        let err = config("postgresql://ana:rahasia@db.example:notaport/x").unwrap_err();
        assert!(!err.contains("rahasia"), "{err}");
    }
}
