// Package influencer holds the Influencer Platform's (seed 004) background
// work: the search job pipeline that fills influencer.scraping_results,
// and the periodic jobs that expire trials and reset monthly usage. The
// rules themselves (plan limits, trial transitions, status flow, usage
// counters, events) are in the schema (migrations 0400-0405); this package
// only moves jobs along.
//
// Creators come from a Provider: Offline (the default, embedded fixtures,
// no network) or Vendor, the client of the scraping vendor's creator-search
// API. Seed 004 names no vendor, so Vendor's documentation defines the JSON
// contract (GET /v1/creators/search with platform, keywords or
// target_username, cursor and limit; an API key header; pages of the seed's
// creator records with next_cursor and has_more; 429 and 5xx transient,
// other 4xx and malformed answers permanent).
package influencer

import (
	"context"
	"errors"
	"fmt"
)

// Platforms a job may search, spelled as the schema stores them.
const (
	TikTok    = "TikTok"
	Instagram = "Instagram"
	YouTube   = "YouTube"
)

// SearchRequest asks a provider for one page of creators.
type SearchRequest struct {
	Platform       string
	Keywords       []string // keyword search
	TargetUsername string   // similar search
	Cursor         int      // 0 for the first page
	Limit          int      // at most this many creators
}

// Page is one page of a search.
type Page struct {
	Creators   []Result
	NextCursor int  // where the next page starts
	Done       bool // no more pages
}

// Result is one creator found, in the seed's scraping_results shape.
type Result struct {
	Creator           Creator  `json:"creator"`
	Video             *Video   `json:"video,omitempty"`
	Hashtags          []string `json:"hashtags"`
	Platform          string   `json:"platform"`
	EnhancementStatus string   `json:"enhancementStatus"`
}

// Creator is a creator's public profile.
type Creator struct {
	Name      string   `json:"name"`
	UniqueID  string   `json:"uniqueId"`
	Followers int64    `json:"followers"`
	AvatarURL string   `json:"avatarUrl"`
	Bio       string   `json:"bio"`
	Emails    []string `json:"emails"`
	Verified  bool     `json:"verified"`
}

// Video is the post that matched.
type Video struct {
	Description string     `json:"description"`
	URL         string     `json:"url"`
	Statistics  VideoStats `json:"statistics"`
}

// VideoStats are a post's counts.
type VideoStats struct {
	Likes    int64 `json:"likes"`
	Comments int64 `json:"comments"`
	Views    int64 `json:"views"`
	Shares   int64 `json:"shares"`
}

// Provider finds creators, one page at a time. Errors are transient
// (retried with backoff, resuming at the same cursor) unless wrapped with
// Permanent.
type Provider interface {
	Search(ctx context.Context, req SearchRequest) (Page, error)
}

// ErrPermanent marks a provider error that retrying cannot fix (bad
// request, unknown account): the job ends in error at once.
var ErrPermanent = errors.New("permanent provider error")

// Permanent wraps err so that errors.Is(err, ErrPermanent).
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }
