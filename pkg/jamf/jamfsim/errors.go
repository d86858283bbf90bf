package jamfsim

import (
	"encoding/json"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// area is the part of Jamf Pro a path belongs to; each answers errors in
// its own shape.
type area int

const (
	areaClassic area = iota // HTML error pages
	areaAPI                 // JSON ApiError
	areaOAuth               // RFC 6749 section 5.2 JSON (OAuthTokenEndpointErrorResponse)
)

func areaOf(rel string) area {
	switch {
	case strings.HasPrefix(rel, "/JSSResource/") || rel == "/JSSResource":
		return areaClassic
	case rel == "/api/v1/oauth/token":
		return areaOAuth
	}
	return areaAPI
}

// writeError answers status with msg in the area's error shape.
func writeError(w http.ResponseWriter, a area, status int, msg string) {
	switch a {
	case areaClassic:
		writeClassicError(w, status, msg)
	case areaOAuth:
		// The token endpoint answers errors in RFC 6749's shape, not as an
		// ApiError (Jamf's schema: OAuthTokenEndpointErrorResponse).
		writeOAuthError(w, status, oauthErrorCode(status), msg)
	default:
		writeAPIError(w, status, "", msg)
	}
}

// writeClassicError writes the Tomcat-style HTML page the Classic API
// answers with; the message is in <p>Error: ...</p> for 4xx answers that
// Jamf explains, as Jamf does.
func writeClassicError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(status)
	text := http.StatusText(status)
	var b strings.Builder
	b.WriteString("<html>\n<head>\n   <title>Status page</title>\n</head>\n<body style=\"font-family: sans-serif;\">\n")
	b.WriteString("<p style=\"font-size: 1.2em;font-weight: bold;margin: 1em 0px;\">")
	b.WriteString(html.EscapeString(text))
	b.WriteString("</p>\n")
	switch {
	case status == http.StatusUnauthorized:
		b.WriteString("<p>The request requires user authentication</p>\n")
	case status == http.StatusForbidden && msg == "":
		b.WriteString("<p>The server understood the request, but is refusing to fulfill it</p>\n")
	case status == http.StatusNotFound && msg == "":
		b.WriteString("<p>The server has not found anything matching the request URI</p>\n")
	case msg != "":
		b.WriteString("<p>Error: ")
		b.WriteString(html.EscapeString(msg))
		b.WriteString("</p>\n")
	}
	b.WriteString("<p>You can get technical details <a href=\"http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4." + strconv.Itoa(status-399) + "\">here</a>.<br>\n")
	b.WriteString("Please continue your visit at our <a href=\"/\">home page</a>.\n</p>\n</body>\n</html>\n")
	_, _ = w.Write([]byte(b.String()))
}

// apiError is the Jamf Pro API's ApiError schema.
type apiError struct {
	HTTPStatus int             `json:"httpStatus"`
	Errors     []apiErrorCause `json:"errors"`
}

// apiErrorCause is the Jamf Pro API's ApiErrorCause schema: field is
// required and not nullable, so it is the parameter at fault ("page-size")
// when the message names one ("page-size: ...") and "" otherwise.
type apiErrorCause struct {
	Code        string `json:"code"`
	Field       string `json:"field"`
	Description string `json:"description"`
	ID          string `json:"id"`
}

func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	if code == "" {
		code = apiErrorCode(status)
	}
	body := apiError{HTTPStatus: status, Errors: []apiErrorCause{}}
	if msg != "" || status != http.StatusUnauthorized {
		field, _, ok := strings.Cut(msg, ": ")
		if !ok || strings.ContainsAny(field, " \"") {
			field = ""
		}
		body.Errors = append(body.Errors, apiErrorCause{Code: code, Field: field, Description: msg, ID: "0"})
	}
	writeJSON(w, status, body)
}

func apiErrorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "INVALID_FIELD"
	case http.StatusUnauthorized:
		return "UNAUTHORIZED"
	case http.StatusForbidden:
		return "INVALID_PRIVILEGE"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusConflict:
		return "CONFLICT"
	default:
		return strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
}

// oauthError is the RFC 6749 section 5.2 error response.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, oauthError{Error: code, Description: desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "jamfsim: encoding JSON: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// oauthErrorCode is the RFC 6749 section 5.2 error code for an injected
// fault's status on the token endpoint.
func oauthErrorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusUnauthorized:
		return "invalid_client"
	}
	return "server_error"
}
