/** Benchmark baselines, active only under the {@code bench} profile. */
package com.tijorihq.tijori.bench;
