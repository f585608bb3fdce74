export { FileCredentials } from './file-credentials.js'
