export { FileCredentials } from './file-credentials.js'
export { loadMasterKey } from './master-key.js'
