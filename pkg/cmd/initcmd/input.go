package initcmd

import (
	"io"
	"sync"
	"sync/atomic"
)

// lineReader hands huh's accessible mode one line per Read. huh builds a new
// bufio.Scanner for every prompt, and a scanner that read ahead would swallow
// the answers to the next prompts; reading byte by byte up to the newline
// leaves them in the underlying reader. It also records end of input (Ctrl-D
// on a terminal, the end of scripted answers), which huh's accessible prompts
// swallow: the wizard treats it as a cancel.
type lineReader struct {
	r     io.Reader
	eof   atomic.Bool
	once  sync.Once
	ended chan struct{} // closed at end of input
	// released is closed by release; reads after end of input wait for it.
	released    chan struct{}
	releaseOnce sync.Once
}

// release ends every read waiting after end of input.
func (l *lineReader) release() { l.releaseOnce.Do(func() { close(l.released) }) }

func (l *lineReader) Read(p []byte) (int, error) {
	if l.eof.Load() {
		// As a terminal after Ctrl-D: the next read waits (here until the
		// wizard stops: release), so an abandoned prompt draws no further.
		<-l.released
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		n += m
		if err != nil {
			if n == 0 {
				l.eof.Store(true)
				l.once.Do(func() { close(l.ended) })
				// The wizard leaves on ended; hold the prompt here until it
				// has stopped, so the abandoned field cannot store its
				// answer while the wizard saves its draft.
				<-l.released
			}
			return n, err
		}
		if m == 1 && p[n-1] == '\n' {
			break
		}
	}
	return n, nil
}

// fdLineReader is a lineReader over a terminal: it exposes the terminal's
// descriptor so huh reads masked answers with echo off (term.ReadPassword).
type fdLineReader struct {
	*lineReader
	fd uintptr
}

// Fd returns the terminal's file descriptor.
func (l fdLineReader) Fd() uintptr { return l.fd }

// newLineReader wraps r; the io.Reader to give huh is the second result
// (with Fd when r has one), the *lineReader reports end of input.
func newLineReader(r io.Reader) (*lineReader, io.Reader) {
	l := &lineReader{r: r, ended: make(chan struct{}), released: make(chan struct{})}
	if f, ok := r.(interface{ Fd() uintptr }); ok {
		return l, fdLineReader{l, f.Fd()}
	}
	return l, l
}

// hasFd reports whether r is backed by a file descriptor (a terminal, once
// CanPrompt holds).
func hasFd(r io.Reader) bool {
	_, ok := r.(interface{ Fd() uintptr })
	return ok
}
