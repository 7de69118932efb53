package web

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
)

// unescapeOctal decodes RouterOS' octal-escaped strings ($(chap-id),
// $(chap-challenge): "\357\022...") into bytes; other characters stand
// for themselves.
func unescapeOctal(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				out = append(out, byte(n))
				i += 4
				continue
			}
		}
		out = append(out, s[i])
		i++
	}
	return out
}

// chapPassword is the password field the router expects from a CHAP
// login form: hex MD5 of chap-id, the password and chap-challenge, as the
// stock login page's md5.js computes it.
func chapPassword(chapID, password, challenge string) string {
	h := md5.New()
	h.Write(unescapeOctal(chapID))
	h.Write([]byte(password))
	h.Write(unescapeOctal(challenge))
	return hex.EncodeToString(h.Sum(nil))
}
