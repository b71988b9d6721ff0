// Package data supplies bars to the engine: a streaming CSV reader with
// strict validation, an in-memory source, a merger that turns one source per
// symbol into a single time-ordered [engine.Feed], a deterministic
// synthetic bar generator, and resampling to coarser timeframes
// ([Resampler], [Resample], [WriteResampled]).
//
// Every error caused by bad input is an [*Error] that names the file, the
// line and the column and says what was expected, so that a user can fix the
// data without reading the code.
package data
