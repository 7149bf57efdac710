#!/usr/bin/env Rscript
# The reference fit: the brms/Stan model slowreg replaces, fitted exactly as the
# reference system fits it (../shared/reference/README.md), so its per-day
# summaries can be regenerated and compared with slowreg's (agree.py).
#
#   model    y ~ s(dayi, k = ceiling(max(dayi) / 8), bs = "cr"), Gaussian noise,
#            brms default priors (brms 2.18, rstan 2.21: Debian r-cran-brms, r-cran-rstan)
#   sampler  NUTS, 4 chains x 2,000 iterations (1,000 warm-up)
#   output   posterior_epred (level) and posterior_predict (predictive) on every
#            day from the first to the last non-outlier day, thinned evenly to
#            1,000 draws; their quantiles per day (R type 7) in summary.csv, with
#            the columns of the reference summaries, and the run's cost and
#            convergence in timing.json.
#
# Usage: Rscript Models/reference/fit_reference.R CASE_DIR OUT_DIR [SEED]
#   CASE_DIR  holds raw.csv (time,y: every run) and prep.csv (dayi,y,out: the
#             prepared series of SPEC §4; the model sees the rows with out == FALSE)
#   OUT_DIR   receives summary.csv and timing.json (created when missing)
#   SEED      Stan's seed (default 20240101)
# scripts/reference.sh installs what this needs and runs it on a case.

suppressPackageStartupMessages({
  library(brms)
  library(rstan)
})

CHAINS <- 4            # as the reference run
ITERATIONS <- 2000     # per chain, warm-up included
WARMUP <- 1000
KEPT_DRAWS <- 1000     # per day, thinned evenly from the 4,000 post-warm-up draws
DAYS_PER_BASIS <- 8    # the knot rule: k = ceiling(max(dayi) / 8)
LEVEL_PROBS <- c(0.05, 0.25, 0.50, 0.75, 0.95)
PREDICTIVE_PROBS <- c(0.05, 0.15, 0.16, 0.25, 0.50, 0.75, 0.84, 0.85, 0.95)

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || length(args) > 3) {
  stop("usage: Rscript fit_reference.R CASE_DIR OUT_DIR [SEED]", call. = FALSE)
}
case_dir <- args[[1]]
out_dir <- args[[2]]
seed <- if (length(args) == 3) as.integer(args[[3]]) else 20240101L
for (file in c("raw.csv", "prep.csv")) {
  if (!file.exists(file.path(case_dir, file))) stop(file.path(case_dir, file), ": no such file", call. = FALSE)
}
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# Day 0 is the UTC date of the first run (raw.csv times are UTC).
raw <- read.csv(file.path(case_dir, "raw.csv"), stringsAsFactors = FALSE)
first_date <- min(as.Date(substr(raw$time, 1, 10)))
prep <- read.csv(file.path(case_dir, "prep.csv"), stringsAsFactors = FALSE)
prep$out <- as.logical(prep$out)
data <- prep[!prep$out, c("dayi", "y")]
k <- ceiling(max(data$dayi) / DAYS_PER_BASIS)
model_formula <- bf(as.formula(sprintf("y ~ s(dayi, k = %d, bs = 'cr')", k)))

elapsed <- function() proc.time()[["elapsed"]]

# Compile once without sampling, so compile and sampling times are reported apart.
start <- elapsed()
compiled <- brm(model_formula, data = data, family = gaussian(), chains = 0, seed = seed, silent = 2, refresh = 0)
compile_s <- elapsed() - start

start <- elapsed()
fit <- update(compiled, recompile = FALSE, chains = CHAINS, iter = ITERATIONS, warmup = WARMUP,
              cores = min(CHAINS, parallel::detectCores()), seed = seed, silent = 2, refresh = 0)
sample_s <- elapsed() - start

start <- elapsed()
days <- data.frame(dayi = seq(min(data$dayi), max(data$dayi)))
total_draws <- CHAINS * (ITERATIONS - WARMUP)
draw_ids <- round(seq(1, total_draws, length.out = KEPT_DRAWS))
level <- posterior_epred(fit, newdata = days, draw_ids = draw_ids)         # draws x days
predictive <- posterior_predict(fit, newdata = days, draw_ids = draw_ids)  # draws x days
predict_s <- elapsed() - start

quantile_columns <- function(draws, probs, prefix) {
  q <- t(apply(draws, 2, quantile, probs = probs, type = 7, names = FALSE))
  colnames(q) <- sprintf("%s_p%02d", prefix, round(probs * 100))
  q
}
summary <- data.frame(date = format(first_date + days$dayi), day = days$dayi,
                      quantile_columns(level, LEVEL_PROBS, "level"),
                      quantile_columns(predictive, PREDICTIVE_PROBS, "pred"))
numeric <- vapply(summary, is.double, logical(1))
summary[numeric] <- lapply(summary[numeric], function(column) sprintf("%.4f", column))
write.csv(summary, file.path(out_dir, "summary.csv"), row.names = FALSE, quote = FALSE)

stan_summary <- rstan::summary(fit$fit)$summary
timing <- c(
  k = k,
  n = nrow(data),
  compile_s = round(compile_s, 4),
  sample_s = round(sample_s, 4),
  predict_s = round(predict_s, 4),
  n_divergent = sum(rstan::get_divergent_iterations(fit$fit)),
  max_rhat = round(max(stan_summary[, "Rhat"], na.rm = TRUE), 4),
  min_n_eff = round(min(stan_summary[, "n_eff"], na.rm = TRUE), 4),
  draws = total_draws
)
# as.character keeps each value's own digits (format() would pad all to a common width).
json <- paste0("{\n", paste(sprintf("  \"%s\": %s", names(timing), vapply(timing, as.character, character(1))),
                            collapse = ",\n"), "\n}\n")
writeLines(json, file.path(out_dir, "timing.json"), sep = "")
cat(sprintf("%s: k = %d, n = %d, compile %.1f s, sampling %.1f s, %d divergent, max Rhat %.4f -> %s\n",
            case_dir, k, nrow(data), compile_s, sample_s, timing[["n_divergent"]], timing[["max_rhat"]], out_dir))
