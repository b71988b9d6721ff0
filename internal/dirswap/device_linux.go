package dirswap

import (
	"errors"

	"golang.org/x/sys/unix"
)

// sameDevice reports whether the files a and b are on the same mount:
// the same mount ID (Linux 5.8 and later), else the same device; true if
// that cannot be told. A bind mount (a container's volume) has its own
// mount ID on the device of its source.
func sameDevice(a, b string) bool {
	var sa, sb unix.Statx_t
	mask := unix.STATX_MNT_ID | unix.STATX_INO
	if unix.Statx(unix.AT_FDCWD, a, 0, mask, &sa) != nil || unix.Statx(unix.AT_FDCWD, b, 0, mask, &sb) != nil {
		return true
	}
	if sa.Mask&sb.Mask&unix.STATX_MNT_ID != 0 && sa.Mnt_id != sb.Mnt_id {
		return false
	}
	return sa.Dev_major == sb.Dev_major && sa.Dev_minor == sb.Dev_minor
}

// isBusy reports whether err says a folder cannot be renamed because it
// is a mount point.
func isBusy(err error) bool { return errors.Is(err, unix.EBUSY) || errors.Is(err, unix.EXDEV) }
