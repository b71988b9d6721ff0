// Package data supplies bars to the engine: a streaming CSV reader with
// strict validation, a Parquet reader with the same checks and a writer of
// exact Parquet files ([ParquetReader], [WriteParquet]), an in-memory
// source, a merger that turns one source per
// symbol into a single time-ordered [engine.Feed], a deterministic
// synthetic bar generator, resampling to coarser timeframes
// ([Resampler], [Resample], [WriteResampled]), back-adjusted prices
// ([AdjustPrices]) and the corporate-actions file ([ParseActions]).
//
// Every error caused by bad input is an [*Error] that names the file, the
// line and the column and says what was expected, so that a user can fix the
// data without reading the code.
//
// A Reader opened from a file hashes the bytes as it reads them
// ([Reader.Digest], [Merged.Digests]), so that a run's manifest names
// exactly the data the run used, even if the file changes or goes away
// while the run reads it.
package data
