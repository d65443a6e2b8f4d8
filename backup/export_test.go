package backup

// SetLimit sets the most bytes Decode reads and returns a function that
// restores it.
func SetLimit(n int64) (restore func()) {
	old := limit
	limit = n
	return func() { limit = old }
}
