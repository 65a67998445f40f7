package ubiops

import (
	"context"
	"net/http"

	"github.com/ubiops/ubiops-go/gen"
)

// The callN adapters bind a generated client method to its arguments, producing a rawCall, so each
// service method is one line instead of a closure restating the generated signature.

func call0(f func(context.Context, ...gen.RequestEditorFn) (*http.Response, error)) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) { return f(ctx, eds...) }
}

func call1[A any](f func(context.Context, A, ...gen.RequestEditorFn) (*http.Response, error), a A) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return f(ctx, a, eds...)
	}
}

func call2[A, B any](f func(context.Context, A, B, ...gen.RequestEditorFn) (*http.Response, error), a A, b B) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return f(ctx, a, b, eds...)
	}
}

func call3[A, B, C any](f func(context.Context, A, B, C, ...gen.RequestEditorFn) (*http.Response, error), a A, b B, c C) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return f(ctx, a, b, c, eds...)
	}
}

func call4[A, B, C, D any](f func(context.Context, A, B, C, D, ...gen.RequestEditorFn) (*http.Response, error), a A, b B, c C, d D) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return f(ctx, a, b, c, d, eds...)
	}
}

func call5[A, B, C, D, E any](f func(context.Context, A, B, C, D, E, ...gen.RequestEditorFn) (*http.Response, error), a A, b B, c C, d D, e E) rawCall {
	return func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return f(ctx, a, b, c, d, e, eds...)
	}
}
