package ubiopstest

// spoolDir is the server's spool directory ("" until a large upload made it).
func spoolDir(s *Server) string {
	s.spool.mu.Lock()
	defer s.spool.mu.Unlock()
	return s.spool.dir
}
