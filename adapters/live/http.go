package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/mostao/conformance/adapters"
)

// maxBody bounds a unit's answer that the client reads.
const maxBody = 32 << 20

// client talks to the units, with bounded retries and waits.
type client struct {
	cfg  Config
	http *http.Client
}

func newClient(cfg Config) *client {
	return &client{cfg: cfg, http: &http.Client{}}
}

// answer is one HTTP answer.
type answer struct {
	status int
	body   []byte
	header http.Header
}

// once makes one request bounded by RequestTimeout.
func (c *client) once(ctx context.Context, method, url string, header http.Header, body []byte) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return answer{}, err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("reading the answer: %w", err)
	}
	return answer{status: resp.StatusCode, body: b, header: resp.Header}, nil
}

// pollMode says which answers mean "not yet": 404 is one while a result or
// a pushed message is awaited, not when asking whether a process exists.
type pollMode struct {
	// waitNotFound keeps polling on 404.
	waitNotFound bool
	// accept are statuses besides 2xx that end the polling and are
	// returned to the caller.
	accept []int
}

// call makes a request until it gets a final answer: 202 ("still
// computing"), 429 (rate limited; Retry-After honoured), a 5xx, a network
// error or a request timeout are retried with a doubling wait; so is 404
// when the mode waits for it. Network errors and 5xx count against
// MaxAttempts; everything against ResultTimeout. What it cannot get is an
// error wrapping adapters.ErrTransport (or the context's error).
func (c *client) call(ctx context.Context, what, method, url, contentType string, body []byte, mode pollMode) (answer, error) {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return c.callWith(ctx, what, method, url, h, body, mode)
}

// callWith is call with the request's headers given whole.
func (c *client) callWith(ctx context.Context, what, method, url string, header http.Header, body []byte, mode pollMode) (answer, error) {
	deadline := time.Now().Add(c.cfg.ResultTimeout)
	wait := c.cfg.PollInterval
	failures := 0
	last := "no answer"
	for {
		a, err := c.once(ctx, method, url, header, body)
		if ctx.Err() != nil {
			return answer{}, fmt.Errorf("%s: %w", what, ctx.Err())
		}
		retry := false
		pause := wait
		switch {
		case err != nil:
			failures++
			retry = true
			last = err.Error()
		case a.status == http.StatusAccepted && method == http.MethodGet:
			retry = true
			last = "202 (still computing)"
		case a.status >= 200 && a.status < 300:
			return a, nil
		case a.status == http.StatusTooManyRequests:
			retry = true
			last = "429 (rate limited)"
			if s, err := strconv.Atoi(a.header.Get("Retry-After")); err == nil && s >= 0 {
				pause = time.Duration(s) * time.Second
			}
		case a.status >= 500:
			failures++
			retry = true
			last = fmt.Sprintf("%d %s", a.status, clip(a.body))
		case a.status == http.StatusNotFound && mode.waitNotFound:
			retry = true
			last = "404 (not there yet)"
		}
		for _, s := range mode.accept {
			if err == nil && a.status == s {
				return a, nil
			}
		}
		if !retry {
			return a, fmt.Errorf("%w: %s: %s %s answered %d: %s", adapters.ErrTransport, what, method, url, a.status, clip(a.body))
		}
		if failures >= c.cfg.MaxAttempts {
			return answer{}, fmt.Errorf("%w: %s: %s %s failed %d times, the last with %s", adapters.ErrTransport, what, method, url, failures, last)
		}
		if pause > c.cfg.MaxPollInterval {
			pause = c.cfg.MaxPollInterval
		}
		if time.Now().Add(pause).After(deadline) {
			return answer{}, fmt.Errorf("%w: %s: no final answer from %s %s within %s (the last: %s)", adapters.ErrTransport, what, method, url, c.cfg.ResultTimeout, last)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return answer{}, fmt.Errorf("%s: %w", what, ctx.Err())
		case <-t.C:
		}
		wait *= 2
		if wait > c.cfg.MaxPollInterval {
			wait = c.cfg.MaxPollInterval
		}
	}
}

// getJSON polls url for a JSON answer and decodes it into v. An answer
// that is not valid JSON of v's shape is a transport error: the unit is
// broken, and the implementation gets no verdict from it.
func (c *client) getJSON(ctx context.Context, what, url string, v any, mode pollMode) (int, error) {
	a, err := c.call(ctx, what, http.MethodGet, url, "", nil, mode)
	if err != nil {
		return 0, err
	}
	if a.status < 200 || a.status >= 300 {
		return a.status, nil
	}
	if err := decodeStrict(a.body, v); err != nil {
		return a.status, fmt.Errorf("%w: %s: %s answered invalid JSON: %v", adapters.ErrTransport, what, url, err)
	}
	return a.status, nil
}

// decodeStrict decodes exactly one JSON value.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return errors.New("text after the JSON value")
	}
	return nil
}

// clip shortens an answer body for an error message.
func clip(b []byte) string {
	const n = 200
	if len(b) > n {
		return strconv.Quote(string(b[:n])) + "..."
	}
	return strconv.Quote(string(b))
}
