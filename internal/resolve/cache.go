package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// cache keeps answers as JSON files, one per question, under
// dir/<kind>/<sha256 of the key>.json. Keys name the question (server and
// repository, or image) and never hold a credential.
type cache struct {
	dir string
	ttl time.Duration
	now func() time.Time
}

// cacheEntry is the content of one cache file. The key is stored to tell
// the question back from the file, and to turn a file holding another
// question into a miss.
type cacheEntry struct {
	Key    string          `json:"key"`
	Stored time.Time       `json:"stored"`
	Value  json.RawMessage `json:"value"`
}

func (c cache) path(kind, key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(c.dir, kind, hex.EncodeToString(sum[:])+".json")
}

// get decodes the cached answer to key into value. found is false when
// there is none, or when the file cannot be read or decoded (a corrupt
// entry is a miss, and the next put replaces it); fresh says the answer is
// younger than the time to live.
func (c cache) get(kind, key string, value any) (found, fresh bool) {
	data, err := os.ReadFile(c.path(kind, key))
	if err != nil {
		return false, false
	}
	var entry cacheEntry
	if json.Unmarshal(data, &entry) != nil || entry.Key != key || json.Unmarshal(entry.Value, value) != nil {
		return false, false
	}
	return true, c.now().Sub(entry.Stored) < c.ttl
}

// put stores the answer to key, atomically: readers see the old file or
// the new one, never a part.
func (c cache) put(kind, key string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(cacheEntry{Key: key, Stored: c.now().UTC(), Value: raw}, "", "  ")
	if err != nil {
		return err
	}
	path := c.path(kind, key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// cached answers the question key of the given kind from the cache when
// it holds a fresh answer (or any answer, offline), and otherwise with
// lookup, bounded by the Resolver's timeout, storing its answer. what
// names the question in errors. A cache that cannot be written does not
// fail the lookup: the answer is still right, and is looked up again next
// time.
func cached[T any](ctx context.Context, r *Resolver, kind, key, what string, lookup func(context.Context) (T, error)) (T, error) {
	var value T
	found, fresh := r.cache.get(kind, key, &value)
	if found && (fresh || r.offline) {
		return value, nil
	}
	if r.offline {
		var zero T
		return zero, fmt.Errorf("%s: %w", what, ErrOffline)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	value, err := lookup(ctx)
	if err != nil {
		return value, err
	}
	_ = r.cache.put(kind, key, value)
	return value, nil
}
