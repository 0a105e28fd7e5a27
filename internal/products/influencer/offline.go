package influencer

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
)

//go:embed fixtures/creators.json
var fixtureJSON []byte

// Offline is the default provider: it builds pages from fixtures of
// creator records for TikTok, Instagram and YouTube, without the network.
// Results are deterministic for a (platform, query, cursor); each fixture
// record yields variants (handle suffix, scaled counts) so that a search
// can reach its target, up to MaxResults per search.
type Offline struct {
	fixtures   map[string][]Result
	MaxResults int // results a search can reach in all (default 5000)
}

// NewOffline loads the embedded fixtures.
func NewOffline() (*Offline, error) {
	var f map[string][]Result
	if err := json.Unmarshal(fixtureJSON, &f); err != nil {
		return nil, fmt.Errorf("offline provider fixtures: %w", err)
	}
	for _, p := range []string{TikTok, Instagram, YouTube} {
		if len(f[p]) == 0 {
			return nil, fmt.Errorf("offline provider fixtures: no records for %s", p)
		}
	}
	return &Offline{fixtures: f, MaxResults: 5000}, nil
}

// Search returns the page at req.Cursor.
func (o *Offline) Search(ctx context.Context, req SearchRequest) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	recs := o.fixtures[req.Platform]
	if len(recs) == 0 {
		return Page{}, Permanent(fmt.Errorf("unknown platform %q", req.Platform))
	}
	query := strings.ToLower(strings.Join(req.Keywords, " "))
	if query == "" {
		query = strings.ToLower(strings.TrimPrefix(req.TargetUsername, "@"))
	}
	if query == "" {
		return Page{}, Permanent(fmt.Errorf("no keywords and no target username"))
	}
	limit := req.Limit
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	h := fnv.New32a()
	h.Write([]byte(req.Platform + "\x00" + query))
	seed := int(h.Sum32() % uint32(len(recs)))
	var page Page
	i := req.Cursor
	for ; i < req.Cursor+limit && i < o.MaxResults; i++ {
		base := recs[(seed+i)%len(recs)]
		variant := i / len(recs)
		r := base
		r.Creator.UniqueID = base.Creator.UniqueID
		if variant > 0 {
			r.Creator.UniqueID = fmt.Sprintf("%s.%d", base.Creator.UniqueID, variant)
			r.Creator.Followers = base.Creator.Followers * int64(100-variant%50) / 100
			r.Creator.Emails = []string{}
		}
		r.Platform = req.Platform
		r.EnhancementStatus = "completed"
		tag := "#" + strings.ReplaceAll(strings.Fields(query)[0], "#", "")
		r.Hashtags = append([]string{tag}, base.Hashtags...)
		page.Creators = append(page.Creators, r)
	}
	page.NextCursor = i
	page.Done = i >= o.MaxResults
	return page, nil
}
