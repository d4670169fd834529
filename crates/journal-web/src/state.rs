//! The state every handler shares. A leaf module, so handlers can name it without depending on
//! the wiring in `server.rs` that lists them.

use std::sync::Arc;

use journal_app::App;
use journal_core::Store;

use crate::config::Config;

/// What every handler shares: the application, whose services are the only way to the store,
/// and the configuration of the HTTP side.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        Self { app: App::new(store, config.settings()), config: Arc::new(config) }
    }
}

/// Handlers call services as `service(&state, …)`: the state stands for its `App`.
impl std::ops::Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
