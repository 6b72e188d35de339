//! Prints Avatar Console's benchmark figures. Not a pass/fail test: the
//! numbers are measured on the machine it runs on; `docs/benchmarks.md`
//! publishes one run and how to reproduce it (`scripts/bench.sh`).

use std::path::PathBuf;
use std::time::Duration;

use avatar_bench::rss::mib;
use avatar_bench::stats::{micros, percentile};
use avatar_bench::{ingest, lab, memory, overhead, startup, static_site};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Avatar Console benchmarks: prints figures and ratios")]
struct Cli {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Per-turn latency: console path vs bare reqwest → axum loopback, interleaved.
    Overhead {
        #[arg(long, default_value_t = 1000)]
        turns: usize,
        #[arg(long, default_value_t = 50)]
        warmup: usize,
    },
    /// The scenario lab: one hibernating message and one console turn, each against the native counting bot.
    Lab {
        #[arg(long, default_value_t = 2000)]
        messages: usize,
        #[arg(long, default_value_t = 1000)]
        turns: usize,
        #[arg(long, default_value_t = 50)]
        warmup: usize,
    },
    /// Callbacks/s acknowledged with durable journaling; rows counted on disk.
    Ingest {
        #[arg(long, default_value_t = 50_000)]
        total: u64,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 30)]
        max_secs: u64,
    },
    /// Backend RSS with many conversations loaded as the UI loads them.
    Memory {
        #[arg(long, default_value_t = 16)]
        panes: usize,
        #[arg(long, default_value_t = 1000)]
        turns: usize,
    },
    /// Start-up time to first paint and idle memory of the release app (needs DISPLAY).
    Startup {
        #[arg(long)]
        app: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long, default_value_t = 5)]
        idle_secs: u64,
        /// Also start this Chromium on the same UI bundle, the Electron-like baseline.
        #[arg(long)]
        chromium: Option<PathBuf>,
        /// The built UI the Chromium baseline loads.
        #[arg(long, default_value = "ui/dist")]
        ui_dist: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match cli.bench {
        Bench::Overhead { turns, warmup } => {
            let r = runtime.block_on(overhead::run(turns, warmup))?;
            let (c50, c99) = (percentile(&r.console, 50.0), percentile(&r.console, 99.0));
            let (b50, b99) = (percentile(&r.bare, 50.0), percentile(&r.bare, 99.0));
            println!(
                "overhead: {turns} interleaved turns each (after {warmup} warm-up), reply delay 0, new pane every {} turns",
                overhead::TURNS_PER_PANE
            );
            println!("overhead.console_p50_us {:.0}", micros(c50));
            println!("overhead.console_p99_us {:.0}", micros(c99));
            println!("overhead.bare_p50_us {:.0}", micros(b50));
            println!("overhead.bare_p99_us {:.0}", micros(b99));
            let (d50, d99) = (
                percentile(&r.bare_durable, 50.0),
                percentile(&r.bare_durable, 99.0),
            );
            println!("overhead.bare_durable_p50_us {:.0}", micros(d50));
            println!("overhead.bare_durable_p99_us {:.0}", micros(d99));
            let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-12);
            println!("overhead.ratio_vs_bare_durable_p50 {:.2}", ratio(c50, d50));
            println!("overhead.ratio_vs_bare_durable_p99 {:.2}", ratio(c99, d99));
            let (s50, s99) = (percentile(&r.client_sim, 50.0), percentile(&r.client_sim, 99.0));
            println!("overhead.client_sim_p50_us {:.0}", micros(s50));
            println!("overhead.client_sim_p99_us {:.0}", micros(s99));
            let (j50, j99) = (percentile(&r.journal, 50.0), percentile(&r.journal, 99.0));
            println!("overhead.journal_writes_p50_us {:.0}", micros(j50));
            println!("overhead.journal_writes_p99_us {:.0}", micros(j99));
            println!(
                "overhead.ratio_vs_client_sim_p50 {:.2}",
                micros(c50) / micros(s50).max(1.0)
            );
            println!(
                "overhead.ratio_vs_client_sim_p99 {:.2}",
                micros(c99) / micros(s99).max(1.0)
            );
            println!("overhead.ratio_p50 {:.2}", micros(c50) / micros(b50).max(1.0));
            println!("overhead.ratio_p99 {:.2}", micros(c99) / micros(b99).max(1.0));
        }
        Bench::Lab {
            messages,
            turns,
            warmup,
        } => {
            let r = runtime.block_on(lab::run(messages, turns, warmup))?;
            let p = |v: &[Duration], q: f64| micros(percentile(v, q));
            println!(
                "lab: examples/scenarios/counting.js; {messages} messages with forced hibernation and {turns} console turns, each interleaved with the native counting bot (after {warmup} warm-up)"
            );
            // p50 and p99 of one sample, and the ratios of two samples.
            let figure = |name: &str, v: &[Duration]| {
                println!("lab.{name}_p50_us {:.1}", p(v, 50.0));
                println!("lab.{name}_p99_us {:.1}", p(v, 99.0));
            };
            let ratio = |name: &str, a: &[Duration], b: &[Duration]| {
                for q in [50.0, 99.0] {
                    println!("lab.{name}_ratio_p{q:.0} {:.2}", p(a, q) / p(b, q).max(0.001));
                }
            };
            figure("message", &r.lab_message);
            figure("native_message", &r.native_message);
            ratio("message", &r.lab_message, &r.native_message);
            figure("console_turn_scenario", &r.scenario_turn);
            figure("console_turn_native", &r.native_turn);
            ratio("console_turn", &r.scenario_turn, &r.native_turn);
        }
        Bench::Ingest {
            total,
            connections,
            max_secs,
        } => {
            let r = runtime.block_on(ingest::run(total, connections, Duration::from_secs(max_secs)))?;
            println!(
                "ingest: {} connections, keep-alive, loopback, load generator in the same process",
                r.connections
            );
            println!("ingest.acknowledged {}", r.acknowledged);
            println!("ingest.refused {}", r.refused);
            println!("ingest.seconds {:.2}", r.elapsed.as_secs_f64());
            println!("ingest.per_second {:.0}", r.per_second());
            println!("ingest.rows_on_disk {}", r.rows_on_disk);
            let mut previous = (0u64, Duration::ZERO);
            for (done, at) in &r.marks {
                let rate = (done - previous.0) as f64 / (*at - previous.1).as_secs_f64().max(1e-9);
                println!("ingest.window {}-{} per_second {rate:.0}", previous.0, done);
                previous = (*done, *at);
            }
            println!("ingest.lost {}", r.lost());
        }
        Bench::Memory { panes, turns } => {
            let r = runtime.block_on(memory::run(panes, turns))?;
            println!(
                "memory: {} panes x {} turns, each with a reply, all views loaded",
                r.panes, r.turns_per_pane
            );
            println!("memory.replies_loaded {}", r.replies_loaded);
            println!("memory.rss_before_mib {:.1}", mib(r.rss_before));
            println!("memory.rss_loaded_mib {:.1}", mib(r.rss_loaded));
        }
        Bench::Startup {
            app,
            runs,
            idle_secs,
            chromium,
            ui_dist,
        } => {
            let idle = Duration::from_secs(idle_secs);
            let ours = startup_runs("startup", &startup::Launch::app(&app), runs, idle)?;
            if let Some(chromium) = chromium {
                let addr = runtime.block_on(static_site::serve(ui_dist))?;
                let launch = startup::Launch::chromium(&chromium, format!("http://{addr}/"));
                let baseline = startup_runs("startup.chromium", &launch, runs, idle)?;
                println!(
                    "startup.ratio_pss_vs_chromium {:.2}",
                    ours.pss as f64 / baseline.pss.max(1) as f64
                );
                println!(
                    "startup.ratio_rss_vs_chromium {:.2}",
                    ours.rss as f64 / baseline.rss.max(1) as f64
                );
                println!(
                    "startup.ratio_first_paint_vs_chromium {:.2}",
                    ours.first_paint.as_secs_f64() / baseline.first_paint.as_secs_f64().max(1e-9)
                );
            }
        }
    }
    Ok(())
}

/// Medians of a series of cold starts.
struct StartupMedians {
    first_paint: Duration,
    rss: u64,
    pss: u64,
}

/// `runs` cold starts of `launch`, each printed under `label`, then the medians.
fn startup_runs(
    label: &str,
    launch: &startup::Launch,
    runs: usize,
    idle: Duration,
) -> anyhow::Result<StartupMedians> {
    anyhow::ensure!(runs > 0, "--runs must be at least 1");
    let mut first = Vec::new();
    let mut rss = Vec::new();
    let mut pss = Vec::new();
    for i in 0..runs {
        let r = startup::run_once(launch, idle, Duration::from_secs(60))?;
        let window = r
            .window
            .map(|w| format!("{:.0}", w.as_secs_f64() * 1e3))
            .unwrap_or_else(|| "-".into());
        println!(
            "{label}.run{i} window_ms {window} first_paint_ms {:.0} capture_interval_ms {:.0} colours {} idle_rss_mib {:.1} idle_pss_mib {:.1} processes {}",
            r.first_paint.as_secs_f64() * 1e3,
            r.capture_interval.as_secs_f64() * 1e3,
            r.colours,
            mib(r.idle_rss),
            mib(r.idle_pss),
            r.processes.len()
        );
        for (pid, name, rss) in &r.processes {
            println!("{label}.run{i}.process {pid} {name} rss_mib {:.1}", mib(*rss));
        }
        first.push(r.first_paint);
        rss.push(r.idle_rss);
        pss.push(r.idle_pss);
    }
    first.sort();
    rss.sort_unstable();
    pss.sort_unstable();
    let mid = runs / 2;
    let medians = StartupMedians {
        first_paint: first[mid],
        rss: rss[mid],
        pss: pss[mid],
    };
    println!(
        "{label}.first_paint_median_ms {:.0}",
        medians.first_paint.as_secs_f64() * 1e3
    );
    println!("{label}.idle_rss_median_mib {:.1}", mib(medians.rss));
    println!("{label}.idle_pss_median_mib {:.1}", mib(medians.pss));
    Ok(medians)
}
