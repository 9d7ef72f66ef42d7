// Reads the service URL of a DICOM service, new or existing, in its own resource group.

@description('Workspace that contains the DICOM service.')
param workspaceName string

@description('DICOM service name.')
param dicomServiceName string

resource workspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' existing = {
  name: workspaceName

  resource dicomService 'dicomservices' existing = {
    name: dicomServiceName
  }
}

@description('Service URL without the API version, for example https://ws-dicom.dicom.azurehealthcareapis.com.')
output serviceUrl string = workspace::dicomService.properties.serviceUrl
