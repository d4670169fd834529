//! Argon2id needs 64 MiB and a tenth of a second per call. Running at most two at once, on
//! blocking threads, keeps a login flood from exhausting memory or starving other requests.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::ServiceError;

#[derive(Clone)]
pub struct KdfWorkers {
    permits: Arc<Semaphore>,
}

pub const MAX_CONCURRENT_KDF: usize = 2;

impl Default for KdfWorkers {
    fn default() -> Self {
        Self { permits: Arc::new(Semaphore::new(MAX_CONCURRENT_KDF)) }
    }
}

impl KdfWorkers {
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
        let _permit = self.permits.acquire().await.map_err(|_| ServiceError::unavailable())?;
        tokio::task::spawn_blocking(work).await.map_err(|_| ServiceError::internal())
    }
}
