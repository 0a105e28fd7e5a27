package memo_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/creatorbase/creatorbase/internal/memo"
)

func TestGetPut(t *testing.T) {
	t.Parallel()
	c := memo.New[string, int](2)
	if _, ok := c.Get("a"); ok {
		t.Fatal("empty cache had a")
	}
	c.Put("a", 1)
	c.Put("a", 2)
	if v, ok := c.Get("a"); !ok || v != 2 {
		t.Fatalf("a = %d, %v; want 2, true", v, ok)
	}
	c.Delete("a")
	if _, ok := c.Get("a"); ok {
		t.Fatal("a survived Delete")
	}
}

func TestBoundedAndRecentSurvive(t *testing.T) {
	t.Parallel()
	c := memo.New[int, int](3)
	for i := range 3 {
		c.Put(i, i)
	}
	// 0 is used again before the generation turns over, so it survives
	// the next two turnovers' worth of new keys better than 1 and 2.
	c.Put(3, 3) // turnover: {0,1,2} become the previous generation
	if _, ok := c.Get(0); !ok {
		t.Fatal("0 lost after one turnover")
	}
	c.Put(4, 4)
	c.Put(5, 5) // current: {3,0,4} full → turnover with 5
	if _, ok := c.Get(1); ok {
		t.Fatal("1 should have been dropped with its generation")
	}
	if _, ok := c.Get(0); !ok {
		t.Fatal("0, recently used, was dropped")
	}
	for i := range 100 {
		c.Put(100+i, i)
		if n := c.Len(); n > 6 {
			t.Fatalf("Len = %d, want at most 2×3", n)
		}
	}
}

func TestClear(t *testing.T) {
	t.Parallel()
	c := memo.New[int, int](2)
	for i := range 3 {
		c.Put(i, i) // fills both generations
	}
	c.Clear()
	if n := c.Len(); n != 0 {
		t.Fatalf("Len after Clear = %d", n)
	}
	c.Put(9, 9)
	if v, ok := c.Get(9); !ok || v != 9 {
		t.Fatal("cache unusable after Clear")
	}
}

func TestZeroSizeKeepsNothing(t *testing.T) {
	t.Parallel()
	c := memo.New[string, int](0)
	c.Put("a", 1)
	if _, ok := c.Get("a"); ok || c.Len() != 0 {
		t.Fatal("a size-0 cache kept an entry")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := memo.New[string, int](50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				k := strconv.Itoa((g*1000 + i) % 120)
				if v, ok := c.Get(k); ok && strconv.Itoa(v) != k {
					t.Errorf("Get(%s) = %d", k, v)
					return
				}
				c.Put(k, (g*1000+i)%120)
			}
		}()
	}
	wg.Wait()
	if n := c.Len(); n > 100 {
		t.Fatalf("Len = %d, want at most 100", n)
	}
}
