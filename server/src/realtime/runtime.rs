//! The websocket connections run on a runtime of their own.
//!
//! A broadcast wakes one task per connection following the topic: thousands at once. On a
//! shared runtime every API request and every database round trip woken meanwhile queues behind
//! them, so the next publish (a REST call with several awaits) starts late and its delivery
//! with it. On their own runtime the connections' tasks queue among themselves, and the
//! operating system shares the CPU between the two runtimes' threads. The sockets stay
//! registered with the main runtime's I/O driver (where the handshake accepted them); their
//! timers use this runtime's.

use std::future::Future;
use std::num::NonZeroUsize;
use tokio::runtime::{Builder, Handle, Runtime};

pub struct SocketRuntime {
    handle: Handle,
    /// Taken on drop, to shut down without blocking whatever runtime drops it.
    runtime: Option<Runtime>,
}

impl SocketRuntime {
    /// As many worker threads as the main runtime has (the CPUs this process may use).
    pub fn start() -> std::io::Result<SocketRuntime> {
        let workers = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        let runtime = Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("hackops-ws")
            .enable_all()
            .build()?;
        Ok(SocketRuntime { handle: runtime.handle().clone(), runtime: Some(runtime) })
    }

    /// Runs one connection's task.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.handle.spawn(task);
    }
}

impl Drop for SocketRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_run_on_their_own_threads_and_stop_with_it() {
        let sockets = SocketRuntime::start().expect("runtime");
        let (tx, rx) = tokio::sync::oneshot::channel();
        sockets.spawn(async move {
            let name = std::thread::current().name().map(str::to_owned);
            let _ = tx.send(name);
        });
        assert_eq!(rx.await.expect("ran").as_deref(), Some("hackops-ws"));
        // Dropped inside a runtime: must not panic nor block.
        drop(sockets);
    }
}
