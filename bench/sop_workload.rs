//! The SOP search benchmark's workload: a deterministic corpus of 5,000
//! synthetic articles, the keystroke queries typed against it, and the native
//! per-keystroke timing. One file, included by path from both benchmarks that
//! use it, so they measure the same thing:
//!
//! - `shared/examples/sop_bench.rs` (native only, `cargo run --release -p
//!   helpline-shared --example sop_bench`);
//! - `tests/src/bin/sop-bench.rs` (native, wasm in headless Chromium and
//!   MiniSearch side by side, `cargo xtask bench-sop`).
//!
//! ```ignore
//! #[path = "../../bench/sop_workload.rs"]
//! mod sop_workload;
//! ```
//!
//! It needs `helpline-shared`, `serde` (derive) and `serde_json`.
//!
//! The corpus is deterministic (a linear congruential generator, no `rand`): the
//! words of the seed library plus a long tail of invented product and error
//! terms, drawn with a Zipf-like skew, in articles shaped like the seed ones
//! (a title, tags, an intro and numbered steps with inline code and links),
//! one in ten in Chinese.

use std::time::Instant;

use helpline_shared::sop::{SopArticle, SopIndex};

/// Articles in the corpus: the library size the budget in the README names.
pub const ARTICLES: usize = 5_000;
/// Results asked for per keystroke, as the widget shows.
pub const LIMIT: usize = 5;
const SEED_ARTICLES: &str = include_str!("../shared/sop-seed/articles.json");
const SEED_QUERIES: &str = include_str!("../shared/sop-seed/queries.json");

/// Knuth's MMIX LCG; the high bits are good enough for picking words.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// Words with a Zipf-like distribution: rank r is drawn with weight 1/(r+1)^0.9.
struct Zipf {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(words: Vec<String>) -> Zipf {
        let mut total = 0.0;
        let cdf = (0..words.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(0.9);
                total
            })
            .collect::<Vec<_>>();
        let cdf = cdf.into_iter().map(|c| c / total).collect();
        Zipf { words, cdf }
    }

    fn pick(&self, rng: &mut Lcg) -> &str {
        let u = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }
}

/// The seed library (`shared/sop-seed/articles.json`) the corpus draws its words from.
pub fn seed_articles() -> Vec<SopArticle> {
    serde_json::from_str(SEED_ARTICLES).expect("seed articles")
}

fn english_vocabulary(seed: &[SopArticle], rng: &mut Lcg) -> Vec<String> {
    // The seed library's words, most frequent first…
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for a in seed.iter().filter(|a| a.language == "en") {
        let text = format!("{} {}", a.title, a.body_markdown);
        for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if w.len() > 1 {
                *counts.entry(w.to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut vocab: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
    // …then a long tail of invented feature names and error codes, as a real
    // library of 5,000 articles would have.
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ra", "ten", "vo", "dex", "sync", "flow", "grid", "port", "lin", "net",
        "cast", "hub", "ly", "zen", "tra", "quo", "mesh", "ark", "sol", "pix", "tor",
    ];
    for i in 0..12_000 {
        let word = if i % 4 == 0 {
            format!("e{}", 1000 + rng.below(9000))
        } else {
            (0..2 + rng.below(2))
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        };
        vocab.push(word);
    }
    vocab.dedup();
    vocab
}

fn chinese_vocabulary() -> Vec<String> {
    "登录 失败 导出 报表 权限 用户 看板 数据 指标 上传 文件 通知 邮件 接口 限流 请求 令牌 \
     审核 队列 页面 加载 缓慢 超时 时区 口径 设置 管理 后台 账号 验证 设备 重置 清除 缓存 \
     浏览器 升级 工程 值班 平台 故障 检查 确认 提交 申请 角色 用户组 同步 日志 错误 状态 \
     格式 大小 压缩 网络 代理 链接 有效 过期 默认 配额 批量 重试 等待 处理 完成 显示 点击 \
     打开 选择 修改 删除 添加 记录 备注 工单 优先级 影响 范围 时间 分钟 小时 每天 刷新"
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// `min` to `min + spread - 1` words joined by `sep`.
fn sentence(z: &Zipf, rng: &mut Lcg, min: usize, spread: usize, sep: &str) -> String {
    let words = min + rng.below(spread);
    (0..words)
        .map(|_| z.pick(rng))
        .collect::<Vec<_>>()
        .join(sep)
}

/// [`ARTICLES`] synthetic articles built from the words of `seed`, one in ten in Chinese.
pub fn synthetic_corpus(seed: &[SopArticle]) -> Vec<SopArticle> {
    let mut rng = Lcg(0x5eed_5109);
    let en = Zipf::new(english_vocabulary(seed, &mut rng));
    let zh = Zipf::new(chinese_vocabulary());
    (0..ARTICLES)
        .map(|i| {
            let chinese = i % 10 == 9;
            let (z, sep, lang) = if chinese {
                (&zh, "", "zh-CN")
            } else {
                (&en, " ", "en")
            };
            let title = sentence(z, &mut rng, 3, 6, sep);
            let mut body = format!("{}.\n\n## Steps\n\n", sentence(z, &mut rng, 15, 20, sep));
            for step in 1..=4 + rng.below(6) {
                body.push_str(&format!(
                    "{step}. {} `{}-cli {}` [{}](https://docs.example.com/{i}/{step}).\n",
                    sentence(z, &mut rng, 8, 14, sep),
                    z.pick(&mut rng),
                    z.pick(&mut rng),
                    sentence(z, &mut rng, 2, 1, sep),
                ));
            }
            SopArticle {
                slug: format!("sop-{i:05}"),
                title,
                body_markdown: body,
                tags: (0..3 + rng.below(3))
                    .map(|_| z.pick(&mut rng).to_owned())
                    .collect(),
                category: ["access", "exports", "dashboards", "api", "uploads"][i % 5].into(),
                platforms: vec![["insights", "review-console", "data-hub"][i % 3].into()],
                language: lang.into(),
            }
        })
        .collect()
}

/// Queries typed as people type them: the labelled seed queries plus phrases
/// lifted from synthetic articles, each replayed one keystroke at a time.
pub fn keystrokes(corpus: &[SopArticle]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Labelled {
        query: String,
    }
    let labelled: Vec<Labelled> = serde_json::from_str(SEED_QUERIES).expect("seed queries");
    let mut queries: Vec<String> = labelled.into_iter().map(|q| q.query).collect();
    let mut rng = Lcg(42);
    while queries.len() < 300 {
        let a = &corpus[rng.below(corpus.len())];
        let words: Vec<&str> = a.body_markdown.split_whitespace().collect();
        let from = rng.below(words.len().saturating_sub(4).max(1));
        queries.push(words[from..(from + 2 + rng.below(3)).min(words.len())].join(" "));
    }
    let mut typed = Vec::new();
    for q in &queries {
        for (i, c) in q.char_indices() {
            typed.push(q[..i + c.len_utf8()].to_owned());
        }
    }
    typed
}

/// The `p` quantile (0..=1) of ascending `sorted`, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Per-keystroke search times in microseconds, each list ascending.
pub struct KeystrokeTimes<'a> {
    /// The first timing of each keystroke, with the keystroke: what one user
    /// would see on a quiet machine, or not — preemption on a busy two-core box
    /// lands on random keystrokes.
    pub single: Vec<(f64, &'a str)>,
    /// The best of three timings of each keystroke: the cost of the query itself.
    pub best: Vec<f64>,
}

/// Times `index.search(q, LIMIT)` for every keystroke in `typed`, natively:
/// one untimed warm-up pass over all keystrokes, then each keystroke three
/// times in a row (the browser benchmark measures wasm and MiniSearch the same way).
pub fn time_keystrokes<'a>(index: &SopIndex, typed: &'a [String]) -> KeystrokeTimes<'a> {
    for q in typed {
        std::hint::black_box(index.search(q, LIMIT)); // warm up
    }
    let mut single: Vec<(f64, &str)> = Vec::with_capacity(typed.len());
    let mut best: Vec<f64> = Vec::with_capacity(typed.len());
    for q in typed {
        let mut times = [0f64; 3];
        for time in &mut times {
            let t = Instant::now();
            std::hint::black_box(index.search(q, LIMIT));
            *time = t.elapsed().as_secs_f64() * 1e6;
        }
        single.push((times[0], q.as_str()));
        best.push(times.into_iter().fold(f64::MAX, f64::min));
    }
    single.sort_by(|a, b| a.0.total_cmp(&b.0));
    best.sort_by(f64::total_cmp);
    KeystrokeTimes { single, best }
}
