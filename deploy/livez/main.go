// Command livez is the container image's health check: it asks the
// gatehouse in the same container for GET /livez and exits 0 on a 200,
// 1 otherwise. The image has no shell or curl (it holds gatehouse's
// static binary and little else), so the check is a program of its own,
// kept to the net package (no fmt, no net/http) so that it adds little
// to the image (some 2 MB).
//
// The port is the one of GATEHOUSE_SERVER_LISTEN (the image sets :8080);
// the request goes to the loopback address.
package main

import (
	"bufio"
	"errors"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	if err := check(os.Getenv("GATEHOUSE_SERVER_LISTEN")); err != nil {
		os.Stderr.WriteString("livez: " + err.Error() + "\n")
		os.Exit(1)
	}
}

// check sends GET /livez to the port of listen (":8080" when empty) on
// 127.0.0.1 and wants "200" in the status line within 3 seconds.
func check(listen string) error {
	port := "8080"
	if listen != "" {
		_, p, err := net.SplitHostPort(listen)
		if err != nil {
			return errors.New("GATEHOUSE_SERVER_LISTEN " + listen + ": " + err.Error())
		}
		port = p
	}
	addr := net.JoinHostPort("127.0.0.1", port)
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := conn.Write([]byte("GET /livez HTTP/1.0\r\nHost: " + addr + "\r\nUser-Agent: gatehouse-livez\r\n\r\n")); err != nil {
		return err
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return errors.New("read the answer of " + addr + ": " + err.Error())
	}
	if f := strings.Fields(status); len(f) < 2 || f[1] != "200" {
		return errors.New("GET http://" + addr + "/livez: " + strings.TrimSpace(status))
	}
	return nil
}
