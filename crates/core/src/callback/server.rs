//! A running callback server with graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{CallbackSink, ServerOptions, router_with};

pub struct CallbackServer {
    pub addr: SocketAddr,
    secret: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl CallbackServer {
    /// Bind `addr` (port 0 picks a free one) and serve.
    pub async fn spawn(
        addr: SocketAddr,
        sink: Arc<dyn CallbackSink>,
        secret: String,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Self::serve(listener, sink, secret))
    }

    /// Serve on a listener that is already bound, with default limits.
    pub fn serve(listener: TcpListener, sink: Arc<dyn CallbackSink>, secret: String) -> Self {
        Self::serve_with(listener, sink, secret, ServerOptions::default())
    }

    pub fn serve_with(
        listener: TcpListener,
        sink: Arc<dyn CallbackSink>,
        secret: String,
        options: ServerOptions,
    ) -> Self {
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
        let app = router_with(sink, &secret, options);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "callback server stopped");
            }
        });
        tracing::info!(%addr, "callback server listening");
        Self {
            addr,
            secret,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// The local callback URL (public URLs come from a tunnel provider).
    pub fn local_url(&self) -> String {
        format!("http://{}/cb/{}", self.addr, self.secret)
    }

    /// Stop accepting connections; requests in flight are finished.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Shut down and wait until in-flight requests have been answered.
    pub async fn stop(mut self) {
        self.shutdown();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
