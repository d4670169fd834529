//! Headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::{announce_skip, required};

static ANNOUNCED: OnceLock<()> = OnceLock::new();

fn find(var: &str, candidates: &[&str]) -> Option<String> {
    if let Ok(v) = std::env::var(var) {
        return Some(v);
    }
    candidates.iter().find(|c| std::path::Path::new(c).exists()).map(|c| (*c).to_owned())
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn skip(why: &str) -> Option<Browser> {
    if required("TJ_REQUIRE_BROWSER") {
        panic!("TJ_REQUIRE_BROWSER=1 but the browser is not available: {why}");
    }
    ANNOUNCED.get_or_init(|| {
        announce_skip(&format!(
            "browser tests ({why}). Install Debian's chromium and chromium-driver, or set TJ_REQUIRE_BROWSER=1 to make this an error."
        ))
    });
    None
}

impl Browser {
    /// A fresh headless browser with an empty profile, phone-sized when `width` is small.
    pub async fn start(width: u32) -> Option<Browser> {
        let Some(driver_bin) = find("TJ_CHROMEDRIVER", &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
        else {
            return skip("chromedriver not found");
        };
        let Some(chrome_bin) = find("TJ_CHROMIUM", &["/usr/bin/chromium", "/usr/bin/chromium-browser"]) else {
            return skip("chromium not found");
        };
        let port = TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let mut driver = match Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => return skip(&format!("chromedriver would not start: {e}")),
        };
        let profile = tempfile::tempdir().ok()?;
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).ok()?;
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chrome_bin,
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", format!("--window-size={width},900"),
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("built as an object"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..50 {
            let builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .clone();
            match builder.connect(&url).await {
                Ok(client) => {
                    return Some(Browser { client, driver, _profile: profile });
                }
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let _ = driver.kill();
        skip(&format!("could not start a browser session: {last_error}"))
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits for an element; when it never comes, fails showing where the browser is instead.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => {
                let url = self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
                let body = self.client.source().await.unwrap_or_default();
                panic!("waiting for {css}: {e}\nat {url}\n{body}");
            }
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    /// Scrolls the element to the middle of the screen first, as a person would: at the very
    /// bottom of a phone's screen it would be under the tab bar.
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        if let Ok(arg) = serde_json::to_value(&el) {
            let _ = self.client.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![arg]).await;
        }
        el.click().await.expect("click");
    }

    /// The element's text. A page that is still navigating can swap the element away between
    /// finding and reading it; then it is looked up again.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..20 {
            match self.find(css).await.text().await {
                Ok(t) => return t,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        panic!("could not read the text of {css}");
    }

    /// Waits until the element's text contains `needle` (the next page has loaded), and returns it.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            last = self.text(css).await;
            if last.contains(needle) {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("{css} never showed {needle:?}; last text: {last:?}");
    }

    /// Where downloads land (nothing asks where to save them).
    pub fn downloads(&self) -> std::path::PathBuf {
        self._profile.path().join("downloads")
    }

    /// Waits for a finished download and returns its file name and contents.
    pub async fn wait_download(&self) -> (String, Vec<u8>) {
        for _ in 0..100 {
            if let Ok(dir) = std::fs::read_dir(self.downloads()) {
                for entry in dir.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    // Chromium writes to a hidden temporary file, then `.crdownload`, until it is complete.
                    if !name.ends_with(".crdownload")
                        && !name.starts_with('.')
                        && let Ok(bytes) = std::fs::read(entry.path())
                    {
                        return (name, bytes);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no download arrived in {}", self.downloads().display());
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.expect("url").path().to_owned()
    }

    /// Runs `script` as the body of an async function (it may `await`) and returns its value.
    pub async fn eval_async(&self, script: &str) -> serde_json::Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1]; (async () => {{ {script} }})().then(done, (e) => done({{ error: String(e) }}));"
        );
        self.client.execute_async(&wrapped, vec![]).await.expect("script")
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// A switchable link between the browser and the app: a TCP relay that can go "offline", dropping
/// every connection it has and refusing new ones, as a phone does in a tunnel. Chromium's own
/// network emulation applies to the page but not to its service worker, so it can't show what the
/// worker does without a connection.
pub struct Network {
    base: String,
    offline: tokio::sync::watch::Sender<bool>,
    relay: tokio::task::JoinHandle<()>,
}

impl Network {
    /// A relay to the app at `app_url` (`http://127.0.0.1:PORT`).
    pub async fn to(app_url: &str) -> Network {
        let target = app_url.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let base = format!("http://{}", listener.local_addr().expect("relay address"));
        let (offline, watch) = tokio::sync::watch::channel(false);
        let relay = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if *watch.borrow() {
                    continue;
                }
                let mut watch = watch.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = watch.wait_for(|off| *off) => {}
                    }
                });
            }
        });
        Network { base, offline, relay }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set_offline(&self, offline: bool) {
        self.offline.send_replace(offline);
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        self.relay.abort();
    }
}
