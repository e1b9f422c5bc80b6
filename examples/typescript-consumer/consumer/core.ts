import {
  createLaceworkClient,
  createTokenProvider,
  defaultCacheDir,
  fileStore,
  isLaceworkAuthError,
  LaceworkAuthError,
  type TokenProviderOptions,
} from '@lacework-auth/core';

export async function core(): Promise<string> {
  const options: TokenProviderOptions = { account: 'acme', expiryTime: 600, timeout: 5000 };
  const provider = createTokenProvider({
    ...options,
    store: fileStore({ dir: defaultCacheDir() }),
  });
  try {
    await createLaceworkClient({ tokenProvider: provider }).get('UserProfile').json();
  } catch (error) {
    if (isLaceworkAuthError(error)) return error.code;
    if (error instanceof LaceworkAuthError) return error.message;
  }
  return provider.baseUrl;
}
