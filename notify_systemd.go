package main

import (
	"net"
	"os"
)

// notifySystemd tells systemd (Type=notify) about the service's state,
// e.g. "READY=1" once it serves and "STOPPING=1" when it shuts down. It
// does nothing when not started by systemd.
func notifySystemd(state string) error {
	socket := os.Getenv("NOTIFY_SOCKET")
	if socket == "" {
		return nil
	}
	if socket[0] == '@' { // abstract namespace
		socket = "\x00" + socket[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: socket, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}
