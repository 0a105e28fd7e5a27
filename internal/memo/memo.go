// Package memo is a small bounded cache for values that are costly to
// compute and cheap to keep: parsed request plans, verified tokens.
//
// It keeps two generations of at most Size entries each. Lookups look in
// the current one, then in the previous one, moving a hit forward; when
// the current generation is full it becomes the previous one and the old
// previous one is dropped whole. Recently used entries therefore survive,
// memory stays under 2×Size entries, and no per-entry bookkeeping is
// needed — an approximation of LRU that costs one map operation.
package memo

import "sync"

// Cache maps K to V. The zero value is not usable; call New.
type Cache[K comparable, V any] struct {
	size int

	mu        sync.Mutex
	cur, prev map[K]V
}

// New returns a cache that holds up to size entries per generation.
// A size under 1 gives a cache that keeps nothing.
func New[K comparable, V any](size int) *Cache[K, V] {
	return &Cache[K, V]{size: size, cur: map[K]V{}}
}

// Get returns the value stored under k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.prev[k]
	if ok {
		delete(c.prev, k)
		c.put(k, v)
	}
	return v, ok
}

// Put stores v under k.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(k, v)
}

// Delete removes k.
func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.cur, k)
	delete(c.prev, k)
}

// Clear drops every entry.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur, c.prev = map[K]V{}, nil
}

// Len is the number of entries held, in both generations.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.prev)
}

func (c *Cache[K, V]) put(k K, v V) {
	if c.size < 1 {
		return
	}
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.size {
		c.prev, c.cur = c.cur, make(map[K]V, c.size)
	}
	c.cur[k] = v
}
