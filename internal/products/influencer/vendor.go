package influencer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// VendorOptions configure the vendor client.
type VendorOptions struct {
	BaseURL      string        // required, e.g. https://vendor.example (no trailing path needed)
	APIKey       string        // required, sent in APIKeyHeader
	APIKeyHeader string        // default "x-api-key"
	Timeout      time.Duration // per request (default 30s); the caller's context still applies
	HTTPClient   *http.Client  // default: a client without its own timeout
}

// Vendor is the Provider backed by the scraping vendor's creator-search
// HTTP API.
//
// Seed 004 names no vendor for its "API calls", so this is the contract a
// vendor (or an adapter in front of one) must serve; it is small on
// purpose and maps one-to-one onto SearchRequest and Page.
//
// Request, one page per call:
//
//	GET {BaseURL}/v1/creators/search?platform=TikTok&keywords=vegan+snacks&keywords=pastry&cursor=0&limit=50
//	GET {BaseURL}/v1/creators/search?platform=Instagram&target_username=miatorres.fit&cursor=50&limit=50
//	x-api-key: <APIKey>            (header name configurable: VendorOptions.APIKeyHeader)
//	Accept: application/json
//
//	platform         TikTok | Instagram | YouTube
//	keywords         one parameter per keyword (repeated), for a keyword search
//	target_username  for a similar-creators search (without "@")
//	cursor           0 for the first page, then next_cursor of the previous page
//	limit            at most this many creators (1-50)
//
// Success, 200:
//
//	{"creators": [<Result>, ...], "next_cursor": 50, "has_more": true}
//
// where <Result> is the seed's scraping_results element (see Result:
// creator{name, uniqueId, followers, avatarUrl, bio, emails, verified},
// video{description, url, statistics{likes, comments, views, shares}},
// hashtags, platform, enhancementStatus). has_more false ends the search.
//
// Errors: any non-2xx status with a JSON body
//
//	{"error": "rate_limited", "message": "60 requests per minute"}
//
// (the body is optional; its text, or the status text, is what the job's
// error shows). 429 carries Retry-After (seconds or an HTTP date).
// Classification (VendorError.Retryable):
//
//	429, 5xx, network errors, timeouts   transient: the worker returns the
//	                                     error and River retries the job
//	                                     with backoff from its stored cursor
//	400, 401, 403, 404, other 4xx        permanent (Permanent): the job ends
//	                                     in error at once with the text
//	200 with a body that is not the      permanent: retrying the same page
//	contract's JSON                      returns the same body

type Vendor struct {
	base    *url.URL
	key     string
	header  string
	timeout time.Duration
	client  *http.Client
}

// NewVendor checks the options and builds the client.
func NewVendor(opts VendorOptions) (*Vendor, error) {
	if strings.TrimSpace(opts.BaseURL) == "" {
		return nil, errors.New("influencer vendor: BaseURL is required")
	}
	u, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("influencer vendor: BaseURL %q is not an http(s) URL", opts.BaseURL)
	}
	if strings.TrimSpace(opts.APIKey) == "" {
		return nil, errors.New("influencer vendor: APIKey is required")
	}
	v := &Vendor{base: u, key: opts.APIKey, header: opts.APIKeyHeader, timeout: opts.Timeout, client: opts.HTTPClient}
	if v.header == "" {
		v.header = "x-api-key"
	}
	if v.timeout <= 0 {
		v.timeout = 30 * time.Second
	}
	if v.client == nil {
		v.client = &http.Client{}
	}
	return v, nil
}

// VendorError is an answer of the vendor other than a usable page.
type VendorError struct {
	Status     int           // HTTP status; 0 for a transport failure
	Code       string        // the body's "error", if any
	Message    string        // readable text
	RetryAfter time.Duration // from Retry-After, when given
	Retryable  bool
}

func (e *VendorError) Error() string {
	var b strings.Builder
	b.WriteString("creator search")
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

type vendorPage struct {
	Creators   *[]Result `json:"creators"`
	NextCursor *int      `json:"next_cursor"`
	HasMore    bool      `json:"has_more"`
}

type vendorErrBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// maxBody bounds what is read of an answer (a page of 50 creators is far
// below it).
const maxBody = 8 << 20

// Search implements Provider.
func (v *Vendor) Search(ctx context.Context, req SearchRequest) (Page, error) {
	q := url.Values{}
	q.Set("platform", req.Platform)
	switch {
	case len(req.Keywords) > 0:
		q["keywords"] = append([]string(nil), req.Keywords...)
	case req.TargetUsername != "":
		q.Set("target_username", strings.TrimPrefix(req.TargetUsername, "@"))
	default:
		return Page{}, Permanent(errors.New("creator search: no keywords and no target username"))
	}
	q.Set("cursor", strconv.Itoa(req.Cursor))
	limit := req.Limit
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	q.Set("limit", strconv.Itoa(limit))
	u := *v.base
	u.Path += "/v1/creators/search"
	u.RawQuery = q.Encode()

	rctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, Permanent(fmt.Errorf("creator search: %w", err))
	}
	hreq.Header.Set(v.header, v.key)
	hreq.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, ctx.Err() // the job itself stopped
		}
		// Timeouts and connection failures: transient. The URL is left
		// out of the text (url.Error would print it).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return Page{}, &VendorError{Message: fmt.Sprintf("no answer within %s", v.timeout), Retryable: true}
		}
		return Page{}, &VendorError{Message: err.Error(), Retryable: true}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, ctx.Err()
		}
		return Page{}, &VendorError{Status: resp.StatusCode, Message: "reading the answer: " + err.Error(), Retryable: true}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Page{}, classify(resp, body)
	}
	var p vendorPage
	if err := json.Unmarshal(body, &p); err != nil {
		return Page{}, Permanent(&VendorError{Status: resp.StatusCode, Message: "malformed answer: " + err.Error()})
	}
	if p.Creators == nil || p.NextCursor == nil {
		return Page{}, Permanent(&VendorError{Status: resp.StatusCode, Message: "malformed answer: creators and next_cursor are required"})
	}
	if *p.NextCursor < req.Cursor || (p.HasMore && *p.NextCursor == req.Cursor) {
		return Page{}, Permanent(&VendorError{Status: resp.StatusCode,
			Message: fmt.Sprintf("malformed answer: next_cursor %d does not move on from %d", *p.NextCursor, req.Cursor)})
	}
	page := Page{Creators: *p.Creators, NextCursor: *p.NextCursor, Done: !p.HasMore}
	for i := range page.Creators {
		if page.Creators[i].Platform == "" {
			page.Creators[i].Platform = req.Platform
		}
		if page.Creators[i].Hashtags == nil {
			page.Creators[i].Hashtags = []string{}
		}
	}
	return page, nil
}

// classify turns a non-2xx answer into a VendorError, wrapped with
// Permanent unless a retry can help.
func classify(resp *http.Response, body []byte) error {
	e := &VendorError{Status: resp.StatusCode}
	var eb vendorErrBody
	if json.Unmarshal(body, &eb) == nil {
		e.Code, e.Message = eb.Error, eb.Message
	}
	if e.Message == "" && e.Code == "" {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 || strings.HasPrefix(e.Message, "<") || e.Message == "" {
			e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
		}
	}
	e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		e.Retryable = true
		return e
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e.Message = "the API key was refused: " + e.Message
	}
	return Permanent(e)
}

// retryAfter reads Retry-After: delay-seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}
